using System.Globalization;

namespace Gradscope.Lab.Experiments;

/// <summary>The depth scan's claims, each checked on measured numbers (pure functions, so tests can feed made-up ones).</summary>
internal static class DepthScanExpectations
{
    /// <summary>Least slope (orders of magnitude per layer) that counts as clearly growing.</summary>
    public const double MinSlope = 0.1;

    /// <summary>Least R^2 of the straight line through (depth, orders lost) that counts as "about linear".</summary>
    public const double MinRSquared = 0.9;

    /// <summary>Orders of magnitude ReLU + He may lose at any depth.</summary>
    public const double ReluLimit = 1.5;

    /// <summary>Orders by which sigmoid's first-layer update ratio must fall behind its last layer's.</summary>
    public const double UpdateGapLimit = -2;

    /// <summary>From this depth on, sigmoid's update-ratio gap must exceed <see cref="UpdateGapLimit"/>.</summary>
    public const int UpdateGapFromDepth = 10;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Orders lost grow about linearly with depth: the fit's slope is above <see cref="MinSlope"/> and its R^2 at least <see cref="MinRSquared"/>.</summary>
    public static ExpectationResult GrowsLinearly(string label, LineFit fit, double theorySlope, int firstDepth, int lastDepth)
    {
        bool passed = fit.Slope > MinSlope && fit.RSquared >= MinRSquared;
        string measured = string.Format(C, "slope {0:F3} orders/layer (theory {1:F3}), R^2 = {2:F4} over depths {3}..{4}",
            fit.Slope, theorySlope, fit.RSquared, firstDepth, lastDepth);
        return new ExpectationResult(
            $"{label}: orders lost grow about linearly with depth (slope > {MinSlope.ToString(C)} orders/layer, R^2 >= {MinRSquared.ToString(C)})",
            passed, measured);
    }

    /// <summary>ReLU + He: the mean orders lost stay under <see cref="ReluLimit"/> in size at every depth.</summary>
    public static ExpectationResult StaysUnder(string label, IReadOnlyList<int> depths, IReadOnlyList<SeedSummary> orders)
    {
        bool passed = depths.Count > 0;
        var parts = new List<string>();
        for (int i = 0; i < depths.Count; i++)
        {
            passed &= Math.Abs(orders[i].Mean) < ReluLimit;
            parts.Add(string.Format(C, "depth {0}: {1:F2} (seeds {2:F2}..{3:F2})", depths[i], orders[i].Mean, orders[i].Min, orders[i].Max));
        }

        return new ExpectationResult(
            $"{label}: orders lost stay under {ReluLimit.ToString(C)} at every depth (mean over seeds, in size)", passed, string.Join("; ", parts));
    }

    /// <summary>
    /// Sigmoid: at every depth from <see cref="UpdateGapFromDepth"/>, in every seed, the first layer's
    /// update ratio is more than 2 orders below the last layer's. Fails when no such depth was run.
    /// </summary>
    public static ExpectationResult UpdatesFallBehind(string label, IReadOnlyList<int> depths, IReadOnlyList<SeedSummary> gaps)
    {
        bool passed = false, failed = false;
        var parts = new List<string>();
        for (int i = 0; i < depths.Count; i++)
        {
            if (depths[i] < UpdateGapFromDepth)
                continue;
            passed = true;
            failed |= !(gaps[i].Max < UpdateGapLimit);
            parts.Add(string.Format(C, "depth {0}: {1:F1} orders (worst seed {2:F1})", depths[i], gaps[i].Mean, gaps[i].Max));
        }

        return new ExpectationResult(
            $"{label}: from depth {UpdateGapFromDepth} the first layer's update ratio is more than {-UpdateGapLimit:F0} orders below the last layer's (every seed)",
            passed && !failed, parts.Count == 0 ? $"no depth of {UpdateGapFromDepth} or more was run" : string.Join("; ", parts));
    }
}
