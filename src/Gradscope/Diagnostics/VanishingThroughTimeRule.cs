using System.Globalization;

namespace Gradscope.Diagnostics;

/// <summary>
/// Gradients through time of each recurrent layer: the geometric mean over the late window of
/// ||dL/dh_t||, counted k steps back from the last step, gives a profile; the least-squares decay
/// per step from one step back on (step T also takes the loss's own gradient) times the length is
/// the orders of magnitude lost through time, graded with the same thresholds as vanishing across
/// depth (<see cref="DiagnosisThresholds.VanishingWarningOrders"/>, <see cref="DiagnosisThresholds.VanishingErrorOrders"/>).
/// The memory horizon (steps back until the gradient falls below
/// <see cref="DiagnosisThresholds.TimeHorizonFraction"/> of its value one step back) is evidence. For a simple RNN, Pascanu, Mikolov and Bengio's (2013) bound is cited:
/// lambda_1 &lt; 1/gamma suffices for vanishing.
/// </summary>
internal sealed class VanishingThroughTimeRule : IDiagnosisRule
{
    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(DiagnosisContext context)
    {
        foreach (var series in context.Trace.ThroughTime)
        {
            if (Find(context, series) is { } finding)
                yield return finding;
        }
    }

    /// <summary>
    /// The gradient through time of <paramref name="series"/> over training steps [<paramref name="from"/>, end):
    /// its profile k steps back, the fitted decay per step from one step back on, the orders lost over the
    /// sequence and the memory horizon. Null with fewer than 3 steps or no gradient at the last step.
    /// </summary>
    internal static ThroughTimeMeasure? Measure(TimeGradients series, int from, double horizonFraction)
    {
        var norms = series.Norms;
        if (norms.StepCount == 0)
            return null;
        double[] profile = norms.ProfileFromEnd(from, norms.StepCount);
        if (profile.Length < 3 || !(profile[0] > 0) || !double.IsFinite(profile[0]))
            return null;
        // Step T's gradient comes from the loss directly; the decay through time is measured from the step before it.
        var back = profile.AsSpan(1);
        double decay = DecayPerStep(back);
        double lost = -Math.Log10(decay) * (back.Length - 1);
        int reach = Horizon(back, horizonFraction);
        return new ThroughTimeMeasure(profile, decay, lost, 1 + reach, reach < back.Length, profile[^1] / profile[0]);
    }

    private static Finding? Find(DiagnosisContext context, TimeGradients series)
    {
        var t = context.Thresholds;
        if (Measure(series, context.LateStart, t.TimeHorizonFraction) is not { } m)
            return null;
        var (profile, decay, lost, horizon) = (m.Profile, m.DecayPerStep, m.OrdersLost, m.MemoryHorizon);
        if (DiagnosisContext.Grade(lost, t.VanishingWarningOrders, t.VanishingErrorOrders) is not { } severity)
            return null;
        var evidence = new Dictionary<string, double>
        {
            ["orders_lost"] = lost,
            ["decay_per_step"] = decay,
            ["sequence_length"] = profile.Count,
            ["memory_horizon"] = horizon,
            ["gradient_ratio_first_to_last"] = profile[^1] / profile[0],
            ["gamma"] = series.MaxRecurrentDerivative,
            ["lambda1"] = series.RecurrentNorm,
            ["gamma_lambda1"] = series.MaxRecurrentDerivative * series.RecurrentNorm,
        };
        var thresholds = new Dictionary<string, double>
        {
            ["warning_orders"] = t.VanishingWarningOrders,
            ["error_orders"] = t.VanishingErrorOrders,
            ["horizon_fraction"] = t.TimeHorizonFraction,
        };
        string cause = Cause(context, series, profile.Count, horizon, decay, lost);
        return new Finding(FindingKind.VanishingThroughTime, severity, [series.Layer], evidence, thresholds, cause, RemedyChoice.VanishingThroughTime(context.Network, series.Kind));
    }

    // First k with profile[k] below fraction * profile[0]; the full length when none.
    private static int Horizon(ReadOnlySpan<double> profile, double fraction)
    {
        for (int k = 1; k < profile.Length; k++)
        {
            if (profile[k] < fraction * profile[0])
                return k;
        }

        return profile.Length;
    }

    // exp of the least-squares slope of ln(norm) against k (steps back).
    private static double DecayPerStep(ReadOnlySpan<double> profile)
    {
        int n = profile.Length;
        double meanK = (n - 1) / 2.0, meanLog = 0;
        for (int k = 0; k < n; k++)
            meanLog += Math.Log(Math.Max(profile[k], 1e-300)) / n;
        double num = 0, den = 0;
        for (int k = 0; k < n; k++)
        {
            num += (k - meanK) * (Math.Log(Math.Max(profile[k], 1e-300)) - meanLog);
            den += (k - meanK) * (k - meanK);
        }

        return Math.Exp(num / den);
    }

    private static string Cause(DiagnosisContext context, TimeGradients series, int length, int horizon, double decay, double lost)
    {
        var layer = LayerRef.At(context.Trace.LayerNames, series.Layer);
        string reach = horizon < length
            ? string.Create(CultureInfo.InvariantCulture, $"it is below {context.Thresholds.TimeHorizonFraction:G3} of its value one step back after {horizon} of {length} steps")
            : "over the sequence";
        string text = string.Create(CultureInfo.InvariantCulture,
            $"||dL/dh_t|| shrinks by a factor {decay:G3} per step back through {layer}, a {series.Kind} layer: {lost:0.#} orders of magnitude over {length} steps ({reach}), so inputs further back barely affect learning.");
        if (series.Kind != "rnn")
            return text + " The cell's forget (or update) gate carries the gradient back multiplied by its value; a gate that starts near 0.5 forgets within a few steps.";
        double gamma = series.MaxRecurrentDerivative, lambda = series.RecurrentNorm;
        return text + string.Create(CultureInfo.InvariantCulture,
            $" The recurrent weight's largest singular value is lambda_1 = {lambda:G3} and max|phi'| = gamma = {gamma:G3}; ") +
            (lambda * gamma < 1
                ? "lambda_1 < 1/gamma, which is sufficient for the gradient to vanish exponentially (Pascanu, Mikolov and Bengio 2013)."
                : "lambda_1 >= 1/gamma, so the bound does not force vanishing; saturated or inactive units make phi' small in practice.");
    }
}

/// <summary>One recurrent layer's gradient through time, as <see cref="VanishingThroughTimeRule"/> measures it.</summary>
/// <param name="Profile">||dL/dh_t|| k steps back from the last step (geometric mean over the window).</param>
/// <param name="DecayPerStep">Fitted factor per step back, from one step back on.</param>
/// <param name="OrdersLost">log10 of the decay over the sequence (positive: vanishing).</param>
/// <param name="MemoryHorizon">Steps back until the gradient falls below the horizon fraction of its value one step back; the full length when it never does.</param>
/// <param name="HorizonReached">True when it did fall below within the sequence.</param>
/// <param name="GradientRatio">||dL/dh_0|| / ||dL/dh_T||.</param>
public sealed record ThroughTimeMeasure(IReadOnlyList<double> Profile, double DecayPerStep, double OrdersLost, int MemoryHorizon, bool HorizonReached, double GradientRatio);
