using System.Globalization;

namespace Gradscope.Diagnostics.Rules;

/// <summary>
/// Gradients through time of each recurrent layer: the geometric mean over the late window of
/// ||dL/dh_t||, counted k steps back from the last step, gives the profile whose memory horizon
/// (steps back until it falls below <see cref="DiagnosisThresholds.TimeHorizonFraction"/> of the
/// last step's value) and decay per step the finding reports. An error when the horizon is under
/// half the sequence (inputs further back cannot be learned), a warning when the gradient falls
/// below the fraction at all. For a simple RNN, Pascanu, Mikolov and Bengio's (2013) bound is cited:
/// lambda_1 &lt; 1/gamma suffices for vanishing.
/// </summary>
public sealed class VanishingThroughTimeRule : IDiagnosisRule
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

    private static Finding? Find(DiagnosisContext context, TimeGradients series)
    {
        var norms = series.Norms;
        if (norms.StepCount == 0)
            return null;
        double[] profile = norms.ProfileFromEnd(context.LateStart, norms.StepCount);
        if (profile.Length < 2 || !(profile[0] > 0) || !double.IsFinite(profile[0]))
            return null;
        var t = context.Thresholds;
        int horizon = Horizon(profile, t.TimeHorizonFraction);
        if (horizon >= profile.Length)
            return null;
        var severity = horizon < profile.Length / 2 ? Severity.Error : Severity.Warning;
        double decay = DecayPerStep(profile);
        var evidence = new Dictionary<string, double>
        {
            ["sequence_length"] = profile.Length,
            ["memory_horizon"] = horizon,
            ["decay_per_step"] = decay,
            ["gradient_ratio_first_to_last"] = profile[^1] / profile[0],
            ["gamma"] = series.MaxRecurrentDerivative,
            ["lambda1"] = series.RecurrentNorm,
            ["gamma_lambda1"] = series.MaxRecurrentDerivative * series.RecurrentNorm,
        };
        var thresholds = new Dictionary<string, double>
        {
            ["horizon_fraction"] = t.TimeHorizonFraction,
            ["error_horizon_fraction_of_length"] = 0.5,
        };
        string cause = Cause(context, series, profile.Length, horizon, decay);
        return new Finding(FindingKind.VanishingThroughTime, severity, [series.Layer], evidence, thresholds, cause, RemedyChoice.VanishingThroughTime(context.Network, series.Kind));
    }

    // First k with profile[k] below fraction * profile[0]; the full length when none.
    private static int Horizon(double[] profile, double fraction)
    {
        for (int k = 1; k < profile.Length; k++)
        {
            if (profile[k] < fraction * profile[0])
                return k;
        }

        return profile.Length;
    }

    // exp of the least-squares slope of ln(norm) against k (steps back).
    private static double DecayPerStep(double[] profile)
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

    private static string Cause(DiagnosisContext context, TimeGradients series, int length, int horizon, double decay)
    {
        var layer = LayerRef.At(context.Trace.LayerNames, series.Layer);
        string text = string.Create(CultureInfo.InvariantCulture,
            $"||dL/dh_t|| shrinks by a factor {decay:G3} per step back through {layer}, a {series.Kind} layer, and is below {context.Thresholds.TimeHorizonFraction:G3} of its last-step value after {horizon} of {length} steps, so inputs further back barely affect learning.");
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
