using System.Globalization;

namespace Gradscope.Diagnostics;

/// <summary>
/// Early layers that barely learn: their update ratio ||dW|| / ||W|| (median over the run) lies
/// orders of magnitude below the last layer's. The consequence of vanishing gradients that users
/// feel: the network trains only its top.
/// </summary>
internal sealed class StalledLayersRule : IDiagnosisRule
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
        string cause = Cause(layers.Count, frozen, WorstMoving(ratios, reference), ratios[0], reference);
        yield return new Finding(FindingKind.StalledLayers, severity, layers, evidence, thresholds, cause, RemedyChoice.Stalled(context.Network));
    }

    // Orders below the last layer among the layers that moved at all; 0 when none did.
    private static double WorstMoving(double[] ratios, double reference)
    {
        double worst = 0;
        for (int l = 0; l < ratios.Length - 1; l++)
        {
            if (ratios[l] > 0)
                worst = Math.Max(worst, Math.Log10(reference / ratios[l]));
        }

        return worst;
    }

    // A layer whose update ratio is exactly 0 did not change: it is said so, not given a clamped number of orders.
    private static string Cause(int stalled, int frozen, double worstMoving, double firstRatio, double reference)
    {
        string last = reference.ToString("0.0e+0", CultureInfo.InvariantCulture);
        string frozenText = $"{frozen} early layer(s) did not change at all: their updates fell below the weights' floating-point resolution (the last layer's update ratio is {last}).";
        string slowText = $"{stalled - frozen} early layer(s) update {worstMoving.ToString("0.#", CultureInfo.InvariantCulture)} orders of magnitude more slowly than the last layer " +
            $"(update ratio {firstRatio.ToString("0.0e+0", CultureInfo.InvariantCulture)} vs {last})";
        const string consequence = ": the gradient reaching them is too small, so they keep their random initial features.";
        if (frozen == 0)
            return slowText + consequence;
        if (frozen >= stalled)
            return frozenText + " The gradient reaching them is too small, so they keep their random initial features.";
        return frozenText + " " + slowText + consequence;
    }
}
