using System.Globalization;
using System.Text;

namespace Gradscope.Lab.Experiments;

/// <summary>The squashing experiment's expectations, each checked on every seed's network.</summary>
internal static class SquashingExpectations
{
    /// <summary>The depth at which the sensitivity claims are checked.</summary>
    public const int CheckedDepth = 10;

    /// <summary>Sigmoid's first layer must move the logits at most this fraction of what its last hidden layer does.</summary>
    public const double SquashingMaxRatio = 1e-2;

    /// <summary>ReLU + He's first/last ratio must lie within this factor of 1.</summary>
    public const double ReluMaxFactor = 10;

    /// <summary>The movement ratio and the gradient ratio must agree within this factor.</summary>
    public const double TrackingFactor = 10;

    public static IReadOnlyList<ExpectationResult> Check(IReadOnlyList<SquashingCell> cells)
    {
        var results = new List<ExpectationResult>();
        if (Find(cells, SquashingFamily.Sigmoid, CheckedDepth) is { } sigmoid)
            results.Add(SigmoidInsensitive(sigmoid));
        if (Find(cells, SquashingFamily.Relu, CheckedDepth) is { } relu)
            results.Add(ReluBalanced(relu));
        if (Find(cells, SquashingFamily.Sigmoid, CheckedDepth) is { } s && Find(cells, SquashingFamily.Relu, CheckedDepth) is { } r)
            results.Add(SensitivityTracksGradient([s, r]));
        var sigmoids = new List<SquashingCell>();
        foreach (var cell in cells)
        {
            if (cell.Family == SquashingFamily.Sigmoid)
                sigmoids.Add(cell);
        }

        results.Add(SigmoidShrinks(sigmoids));
        return results;
    }

    /// <summary>The first/last 100% sensitivity ratio of every seed is at most <see cref="SquashingMaxRatio"/>.</summary>
    public static ExpectationResult SigmoidInsensitive(SquashingCell cell)
    {
        bool passed = All(cell, r => r <= SquashingMaxRatio, out string values);
        return new ExpectationResult(
            $"At depth {CheckedDepth}, perturbing sigmoid's first layer by 100% of its norm moves the logits at least 100x less than perturbing its last hidden layer",
            passed,
            $"first/last movement {values} (at most {Sci(SquashingMaxRatio)} needed)");
    }

    /// <summary>The first/last 100% sensitivity ratio of every seed lies within a factor <see cref="ReluMaxFactor"/> of 1.</summary>
    public static ExpectationResult ReluBalanced(SquashingCell cell)
    {
        bool passed = All(cell, r => r <= ReluMaxFactor && r >= 1 / ReluMaxFactor, out string values);
        return new ExpectationResult(
            $"At depth {CheckedDepth}, for ReLU + He the same ratio stays within 10x",
            passed,
            $"first/last movement {values} (between {Sci(1 / ReluMaxFactor)} and {Sci(ReluMaxFactor)} needed)");
    }

    /// <summary>
    /// Every sigmoid network's spread falls at every hidden layer after the first (each maps width to
    /// width), where float64 still resolves the layer's input (<see cref="SquashingCell.InputResolved"/>).
    /// </summary>
    public static ExpectationResult SigmoidShrinks(IReadOnlyList<SquashingCell> cells)
    {
        bool passed = cells.Count > 0;
        double largest = 0;
        string where = "";
        int checkedLayers = 0, unresolved = 0;
        foreach (var cell in cells)
        {
            foreach (var m in cell.Seeds)
            {
                for (int l = 1; l < m.Depth; l++)
                {
                    if (!SquashingCell.InputResolved(m, l))
                    {
                        unresolved++;
                        continue;
                    }

                    checkedLayers++;
                    double ratio = SquashingCell.SpreadRatio(m, l);
                    if (ratio > largest)
                        (largest, where) = (ratio, $"depth {m.Depth}, layer {l + 1}, seed {m.Seed}");
                    passed &= ratio < 1;
                }
            }
        }

        return new ExpectationResult(
            "Sigmoid's output spread shrinks layer after layer: every hidden layer's image of the grid is smaller than its input's (layers 2..L, every depth and seed)",
            passed && checkedLayers > 0,
            string.Create(
                CultureInfo.InvariantCulture,
                $"largest per-layer spread ratio {Sci(largest)} ({where}) over {checkedLayers} layers; under 1 needed; {unresolved} layers left out, their input already a point to float64 (spread under {Sci(SquashingCell.ResolvableSpread)} of its size)"));
    }

    /// <summary>For every seed's network of the cells, first/last movement (100%) and first/last per-example gradient agree within <see cref="TrackingFactor"/>.</summary>
    public static ExpectationResult SensitivityTracksGradient(IReadOnlyList<SquashingCell> cells)
    {
        bool passed = cells.Count > 0;
        var text = new StringBuilder();
        foreach (var cell in cells)
        {
            foreach (var m in cell.Seeds)
            {
                double movement = SquashingCell.SensitivityRatio(m, full: true);
                double gradient = SquashingCell.ExampleGradientRatio(m);
                double factor = Math.Max(movement / gradient, gradient / movement);
                passed &= factor <= TrackingFactor;
                if (text.Length > 0)
                    text.Append("; ");
                text.Append(CultureInfo.InvariantCulture, $"{cell.Family.Label} seed {m.Seed}: move {Sci(movement)}, per-example gradient {Sci(gradient)} ({factor:F1}x apart)");
            }
        }

        return new ExpectationResult(
            $"At depth {CheckedDepth}, the output's sensitivity to a layer tracks that layer's gradient: first/last movement and first/last per-example gradient agree within 10x for both networks",
            passed,
            text.ToString());
    }

    private static bool All(SquashingCell cell, Func<double, bool> holds, out string values)
    {
        bool passed = true;
        var text = new StringBuilder();
        foreach (var m in cell.Seeds)
        {
            double ratio = SquashingCell.SensitivityRatio(m, full: true);
            passed &= holds(ratio);
            if (text.Length > 0)
                text.Append(", ");
            text.Append(CultureInfo.InvariantCulture, $"{Sci(ratio)} (seed {m.Seed})");
        }

        values = text.ToString();
        return passed;
    }

    private static SquashingCell? Find(IReadOnlyList<SquashingCell> cells, SquashingFamily family, int depth)
    {
        foreach (var cell in cells)
        {
            if (cell.Family == family && cell.Depth == depth)
                return cell;
        }

        return null;
    }

    private static string Sci(double value) => value.ToString("0.00e+00", CultureInfo.InvariantCulture);
}
