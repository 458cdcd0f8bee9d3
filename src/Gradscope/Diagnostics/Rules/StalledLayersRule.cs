using System.Globalization;

namespace Gradscope.Diagnostics.Rules;

/// <summary>
/// Early layers that barely learn: their update ratio ||dW|| / ||W|| (median over the run) lies
/// orders of magnitude below the last layer's. The consequence of vanishing gradients that users
/// feel: the network trains only its top.
/// </summary>
public sealed class StalledLayersRule : IDiagnosisRule
{
    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(DiagnosisContext context)
    {
        var trace = context.Trace;
        if (trace.StepCount == 0 || trace.LayerCount < 3)
            yield break;
        var t = context.Thresholds;
        var ratios = trace.MedianOver(LayerStat.UpdateRatio, 0, trace.StepCount);
        double reference = ratios[^1];
        if (!(reference > 0))
            yield break;
        var layers = new List<int>();
        double worst = 0;
        int frozen = 0;
        for (int l = 0; l < trace.LayerCount - 1; l++)
        {
            // A ratio of exactly 0 means the update was below the weights' floating-point resolution
            // (about 6e-8 relative in float32): the layer did not change at all. Count it as 16 orders.
            if (ratios[l] == 0)
                frozen++;
            double orders = Math.Log10(reference / Math.Max(ratios[l], reference * 1e-16));
            worst = Math.Max(worst, orders);
            if (orders >= t.StalledWarningOrders)
                layers.Add(l);
        }

        if (layers.Count == 0 || DiagnosisContext.Grade(worst, t.StalledWarningOrders, t.StalledErrorOrders) is not { } severity)
            yield break;

        var evidence = new Dictionary<string, double>
        {
            ["first_layer_update_ratio"] = ratios[0],
            ["last_layer_update_ratio"] = reference,
            ["max_orders_below_last"] = worst,
            ["stalled_layers"] = layers.Count,
            ["frozen_layers"] = frozen,
        };
        var thresholds = new Dictionary<string, double> { ["warning_orders"] = t.StalledWarningOrders, ["error_orders"] = t.StalledErrorOrders };
        string cause = $"{layers.Count} early layer(s) update {worst.ToString("0.#", CultureInfo.InvariantCulture)} orders of magnitude more slowly than the last layer " +
            $"(update ratio {ratios[0].ToString("0.0e+0", CultureInfo.InvariantCulture)} vs {reference.ToString("0.0e+0", CultureInfo.InvariantCulture)}): the gradient reaching them is too small, so they keep their random initial features." +
            (frozen > 0 ? $" {frozen} layer(s) did not change at all: their updates fell below the weights' floating-point resolution." : string.Empty);
        yield return new Finding(FindingKind.StalledLayers, severity, layers, evidence, thresholds, cause, RemedyChoice.Stalled(context.Network));
    }
}
