using System.Globalization;

namespace Gradscope.Lab.Experiments;

/// <summary>The signal-propagation claims (Schoenholz et al. 2017), checked on the per-sigma_w^2 summaries.</summary>
internal static class PropagationExpectations
{
    private const string Paper = "networks train up to a depth of about 6 xi_c, deepest at the critical line (Schoenholz et al. 2017, Fig. 5)";

    /// <summary>
    /// At every sigma_w^2 up to <paramref name="orderedLimit"/> the mean measured trainable depth lies
    /// within a factor of 2 of 6 xi_c. A depth at the grid's end is a lower bound: it passes when it
    /// already reaches half of 6 xi_c.
    /// </summary>
    public static ExpectationResult OrderedWithinFactorTwo(IReadOnlyList<PropagationSummary> summaries, double orderedLimit)
    {
        var parts = new List<string>();
        bool passed = true;
        foreach (var s in summaries)
        {
            if (s.WeightVariance > orderedLimit || s.PredictedDepth is not { } predicted)
                continue;
            double depth = s.MeanDepth;
            bool within = depth >= predicted / 2 && (s.Censored || depth <= 2 * predicted);
            passed &= within;
            parts.Add($"sigma_w^2 = {G(s.WeightVariance)}: {(s.Censored ? ">= " : "")}{G(depth)} against {G(predicted)} ({G(depth / predicted)}x){(within ? "" : " out")}");
        }

        return new ExpectationResult(
            $"in the ordered phase (sigma_w^2 <= {G(orderedLimit)}) the trainable depth lies within a factor of 2 of 6 xi_c",
            passed && parts.Count > 0,
            parts.Count > 0 ? string.Join("; ", parts) : "no ordered sigma_w^2 in the grid",
            Paper);
    }

    /// <summary>Every sigma_w^2 with the largest mean trainable depth is the grid's nearest to the critical one, or next to it.</summary>
    public static ExpectationResult DeepestNearCritical(IReadOnlyList<PropagationSummary> summaries, double criticalWeightVariance)
    {
        int nearest = 0;
        double deepest = 0;
        for (int i = 0; i < summaries.Count; i++)
        {
            if (Math.Abs(summaries[i].WeightVariance - criticalWeightVariance) < Math.Abs(summaries[nearest].WeightVariance - criticalWeightVariance))
                nearest = i;
            deepest = Math.Max(deepest, summaries[i].MeanDepth);
        }

        var argmax = new List<string>();
        bool near = deepest > 0;
        for (int i = 0; i < summaries.Count; i++)
        {
            if (summaries[i].MeanDepth < deepest)
                continue;
            argmax.Add(G(summaries[i].WeightVariance));
            near &= Math.Abs(i - nearest) <= 1;
        }

        return new ExpectationResult(
            "the deepest trainable networks sit near the critical line (within one grid step of the critical sigma_w^2)",
            near,
            $"deepest trained {G(deepest)} at sigma_w^2 = {string.Join(", ", argmax)}; critical sigma_w^2 = {G(criticalWeightVariance)} " +
                $"(nearest grid value {G(summaries[nearest].WeightVariance)})",
            Paper);
    }

    /// <summary>Three significant digits, invariant culture.</summary>
    internal static string G(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
}
