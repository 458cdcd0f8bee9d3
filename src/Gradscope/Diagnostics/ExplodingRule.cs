using System.Globalization;

namespace Gradscope.Diagnostics;

/// <summary>
/// Exploding gradients in either of their two forms: across depth (delta_rms grows toward the first
/// layer in the early window, the mirror image of vanishing) or over time (the largest layer
/// gradient norm grows by orders of magnitude from the first steps to its peak).
/// </summary>
internal sealed class ExplodingRule : IDiagnosisRule
{
    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(DiagnosisContext context)
    {
        var trace = context.Trace;
        if (trace.StepCount == 0 || trace.LayerCount < 2)
            yield break;
        var t = context.Thresholds;
        var profile = GradientProfile.Fit(context.Early(LayerStat.DeltaRms));
        double acrossDepth = -profile.OrdersLastToFirst;
        double overTime = GrowthOverTime(context);
        double worst = Math.Max(acrossDepth, overTime);
        if (DiagnosisContext.Grade(worst, t.ExplodingWarningOrders, t.ExplodingErrorOrders) is not { } severity)
            yield break;

        var evidence = new Dictionary<string, double>
        {
            ["orders_gained_across_depth"] = acrossDepth,
            ["orders_gained_over_time"] = overTime,
            ["per_layer_factor"] = profile.PerLayerFactor,
            ["weight_scale"] = VanishingRule.WeightScale(context),
        };
        VanishingRule.AddPrediction(context, evidence);
        var thresholds = new Dictionary<string, double> { ["warning_orders"] = t.ExplodingWarningOrders, ["error_orders"] = t.ExplodingErrorOrders };
        string f = profile.PerLayerFactor.ToString("0.##", CultureInfo.InvariantCulture);
        string cause = acrossDepth >= overTime
            ? $"Each layer multiplies the backward gradient by about {f} (weight scale {evidence["weight_scale"].ToString("0.##", CultureInfo.InvariantCulture)} with {context.Initializer} init is too large for {context.Network.ActivationNames}), so the first layer's gradient is {acrossDepth.ToString("0.#", CultureInfo.InvariantCulture)} orders of magnitude larger than the last layer's." + VanishingRule.PredictionSentence(context)
            : $"The largest layer gradient norm grew {overTime.ToString("0.#", CultureInfo.InvariantCulture)} orders of magnitude during training: the updates are feeding back on themselves (learning rate too high for the curvature).";
        yield return new Finding(FindingKind.Exploding, severity, VanishingRule.AllLayers(trace), evidence, thresholds, cause, RemedyChoice.Exploding(context.Network, acrossDepth >= overTime));
    }

    private static double GrowthOverTime(DiagnosisContext context)
    {
        var trace = context.Trace;
        double start = Max(context.Early(LayerStat.GradNorm));
        double peak = 0;
        for (int s = 0; s < trace.StepCount; s++)
        {
            foreach (double g in trace.AtStep(LayerStat.GradNorm, s))
            {
                if (double.IsFinite(g))
                    peak = Math.Max(peak, g);
            }
        }

        return start > 0 && peak > 0 ? Math.Log10(peak / start) : 0;
    }

    private static double Max(double[] values)
    {
        double max = 0;
        foreach (double v in values)
        {
            if (double.IsFinite(v))
                max = Math.Max(max, v);
        }

        return max;
    }
}
