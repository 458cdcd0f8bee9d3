namespace Gradscope.Diagnostics;

/// <summary>
/// The gradient through time of a monitored recurrent run, measured as the diagnosis measures it
/// (<c>VanishingThroughTime</c>): for experiments that print the memory horizon and decay beside
/// their own numbers.
/// </summary>
public static class ThroughTime
{
    /// <summary>
    /// The first recurrent layer's gradient through time over the diagnosis's late window (its
    /// thresholds' horizon fraction); null when the run traced no recurrent layer or too few steps.
    /// </summary>
    public static ThroughTimeMeasure? Measure(MonitoredRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Trace.ThroughTime.Count == 0)
            return null;
        var context = DiagnosisContext.For(run.Trace, run.Config);
        return VanishingThroughTimeRule.Measure(run.Trace.ThroughTime[0], context.LateStart, context.Thresholds.TimeHorizonFraction);
    }
}
