using System.Globalization;

namespace Gradscope.Diagnostics;

/// <summary>
/// Fits log10 delta_rms against depth over the early window (as at initialization): the per-layer
/// factor, the orders of magnitude lost from the last layer to the first, and the empirical depth
/// scale. Each layer's factor is roughly the activation's typical derivative times the weight scale
/// ||W||_F / sqrt(fan_in), which is how the cause is explained.
/// </summary>
internal sealed class VanishingRule : IDiagnosisRule
{
    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(DiagnosisContext context)
    {
        var trace = context.Trace;
        if (trace.StepCount == 0 || trace.LayerCount < 3)
            yield break;
        var profile = GradientProfile.Fit(context.Early(LayerStat.DeltaRms));
        double lost = profile.OrdersLastToFirst;
        var t = context.Thresholds;
        if (DiagnosisContext.Grade(lost, t.VanishingWarningOrders, t.VanishingErrorOrders) is not { } severity)
            yield break;

        double weightScale = WeightScale(context);
        var evidence = new Dictionary<string, double>
        {
            ["orders_lost"] = lost,
            ["per_layer_factor"] = profile.PerLayerFactor,
            ["depth_scale"] = profile.DepthScale,
            ["weight_scale"] = weightScale,
            ["max_derivative"] = context.Activation.MaxDerivative,
            ["layers"] = trace.LayerCount,
        };
        AddPrediction(context, evidence);
        var thresholds = new Dictionary<string, double> { ["warning_orders"] = t.VanishingWarningOrders, ["error_orders"] = t.VanishingErrorOrders };
        yield return new Finding(FindingKind.Vanishing, severity, AllLayers(trace), evidence, thresholds, Cause(context, profile, weightScale), RemedyChoice.Vanishing(context.Network));
    }

    /// <summary>Adds the mean-field prediction (when the context has one) to the evidence.</summary>
    internal static void AddPrediction(DiagnosisContext context, Dictionary<string, double> evidence)
    {
        if (context.Preflight is not { } p)
            return;
        evidence["predicted_chi1"] = p.Chi1;
        evidence["predicted_orders_lost"] = p.PredictedOrdersLost;
    }

    /// <summary>A sentence citing the prediction, or empty when there is none.</summary>
    internal static string PredictionSentence(DiagnosisContext context)
    {
        if (context.Preflight is not { } p)
            return string.Empty;
        string orders = Math.Abs(p.PredictedOrdersLost).ToString("0.#", CultureInfo.InvariantCulture);
        return $" Before training, mean-field theory predicted chi_1 = {p.Chi1.ToString("0.###", CultureInfo.InvariantCulture)} per layer (sigma_w^2 = {p.WeightVariance.ToString("0.###", CultureInfo.InvariantCulture)}), " +
            $"{p.Phase.ToString().ToLowerInvariant()} phase: {orders} orders of magnitude {(p.PredictedOrdersLost >= 0 ? "lost" : "gained")} over {p.Depth} layers.";
    }

    internal static double WeightScale(DiagnosisContext context)
    {
        var trace = context.Trace;
        var norms = context.Early(LayerStat.WeightNorm);
        double sum = 0;
        int count = 0;
        for (int l = 0; l < trace.LayerCount - 1; l++)
        {
            if (double.IsFinite(norms[l]))
            {
                sum += norms[l] / Math.Sqrt(trace.LayerInputs[l]);
                count++;
            }
        }

        return count > 0 ? sum / count : double.NaN;
    }

    private static string Cause(DiagnosisContext context, GradientProfile profile, double weightScale)
    {
        var a = context.Activation;
        int depth = context.Trace.LayerCount;
        string f = profile.PerLayerFactor.ToString("0.###", CultureInfo.InvariantCulture);
        string measured = $"Measured: each layer scales the backward gradient by about {f} (derivative times weight scale {weightScale.ToString("0.###", CultureInfo.InvariantCulture)}), " +
            $"so {profile.OrdersLastToFirst.ToString("0.#", CultureInfo.InvariantCulture)} orders of magnitude are lost from {LayerRef.At(context.Trace.LayerNames, depth - 1)} to {LayerRef.At(context.Trace.LayerNames, 0)} (depth scale {profile.DepthScale.ToString("0.#", CultureInfo.InvariantCulture)} layers)." +
            PredictionSentence(context);
        if (a.IsSquashing)
        {
            double bound = Math.Pow(a.MaxDerivative, depth - 1);
            return $"{a.Name}'s derivative is at most {a.MaxDerivative.ToString("0.##", CultureInfo.InvariantCulture)}; {depth - 1} layers multiply up to " +
                $"{a.MaxDerivative.ToString("0.##", CultureInfo.InvariantCulture)}^{depth - 1} ~ {bound.ToString("0e+0", CultureInfo.InvariantCulture)}, and with a weight scale below 1 ({context.Initializer} init) every layer shrinks the gradient further. " + measured;
        }

        return $"The weight scale of {context.Initializer} init is too small for {context.Network.MainActivationName}, so each layer shrinks the gradient. " + measured;
    }

    internal static int[] AllLayers(Trace trace)
    {
        var layers = new int[trace.LayerCount];
        for (int l = 0; l < layers.Length; l++)
            layers[l] = l;
        return layers;
    }
}
