using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Sweeps;

/// <summary>
/// The gradient measures of one recorded run, as the fix trials and experiments define them: the
/// per-layer median of delta_rms over the diagnosis's early window; orders of magnitude lost from
/// the last layer to the first, and the first layer's value over the last's.
/// </summary>
/// <param name="OrdersLost">log10(last / first) early delta_rms; positive when the gradient vanishes toward the input.</param>
/// <param name="FirstToLastRatio">First layer's early delta_rms over the last layer's; NaN without two layers.</param>
public readonly record struct TrialMeasures(double OrdersLost, double FirstToLastRatio)
{
    /// <summary>The measures of a stored run with its steps; NaN when it recorded no step or has no description.</summary>
    public static TrialMeasures Of(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var trace = run.Trace;
        if (trace.StepCount == 0 || trace.LayerCount == 0 || run.Spec is null)
            return new TrialMeasures(double.NaN, double.NaN);
        var context = MonitoredRun.Context(trace, run.Spec);
        var early = context.Early(LayerStat.DeltaRms);
        var profile = GradientProfile.Fit(early);
        double ratio = early.Length > 1 && early[^1] > 0 ? early[0] / early[^1] : double.NaN;
        return new TrialMeasures(profile.OrdersLastToFirst, ratio);
    }
}
