using System.Globalization;

namespace Gradscope.Diagnostics;

/// <summary>
/// Squashing and smooth activations whose units sit in the flat regime (derivative below 1% of its
/// maximum) for most samples, at the start or the end of training. ReLU's flat side is judged by
/// <see cref="DeadUnitsRule"/> instead.
/// </summary>
internal sealed class SaturationRule : IDiagnosisRule
{
    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(DiagnosisContext context)
    {
        var trace = context.Trace;
        if (trace.StepCount == 0)
            yield break;
        var t = context.Thresholds;
        var early = context.Early(LayerStat.Saturated);
        var late = context.Late(LayerStat.Saturated);
        var layers = new List<int>();
        double worst = 0, sum = 0;
        int considered = 0;
        var names = new List<string>();
        for (int l = 0; l < trace.LayerCount - 1; l++)
        {
            if (context.LayerFacts(l).Activation is not { } activation || !CanSaturate(activation))
                continue;
            double fraction = Math.Max(Finite(early[l]), Finite(late[l]));
            sum += fraction;
            considered++;
            worst = Math.Max(worst, fraction);
            if (fraction >= t.SaturationWarningFraction)
            {
                layers.Add(l);
                if (!names.Contains(activation.Name))
                    names.Add(activation.Name);
            }
        }

        if (layers.Count == 0 || DiagnosisContext.Grade(worst, t.SaturationWarningFraction, t.SaturationErrorFraction) is not { } severity)
            yield break;

        var actStd = context.Early(LayerStat.ActStd);
        var evidence = new Dictionary<string, double>
        {
            ["max_saturated_fraction"] = worst,
            ["mean_saturated_fraction"] = sum / Math.Max(1, considered),
            ["saturated_layers"] = layers.Count,
            ["weight_scale"] = VanishingRule.WeightScale(context),
            ["first_layer_act_std"] = actStd[0],
        };
        var thresholds = new Dictionary<string, double> { ["warning_fraction"] = t.SaturationWarningFraction, ["error_fraction"] = t.SaturationErrorFraction };
        string cause = $"Up to {(100 * worst).ToString("0", CultureInfo.InvariantCulture)}% of {string.Join(" and ", names)} units are saturated: their inputs are so large that the derivative is below 1% of its maximum, so almost no gradient passes. " +
            $"The weight scale ||W||/sqrt(fan_in) is {evidence["weight_scale"].ToString("0.##", CultureInfo.InvariantCulture)} with {context.Initializer} init; pre-activations grow with it.";
        yield return new Finding(FindingKind.Saturation, severity, layers, evidence, thresholds, cause,
            RemedyChoice.Saturation(context.Network));
    }

    // ReLU's flat side is judged by DeadUnitsRule; identity has none.
    private static bool CanSaturate(Activations.Activation activation) => !activation.IsReluFamily && activation.Name != "identity";

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;
}
