using System.Globalization;

namespace Gradscope.Lab.Experiments;

/// <summary>He et al.'s (2015) claims, each checked on measured numbers (pure functions, so tests can feed made-up ones).</summary>
internal static class He2015Expectations
{
    /// <summary>How far the fitted log2 slope per layer may sit from its prediction (-1 for Xavier, 0 for He).</summary>
    public const double SlopeTolerance = 0.25;

    /// <summary>How far (relative) a stalled run's epoch losses may move from the starting loss.</summary>
    public const double StallBand = 0.05;

    /// <summary>The most a training run's final loss may be, relative to its start.</summary>
    public const double TrainedLossRatio = 0.5;

    /// <summary>The least held-out accuracy of a training run (chance is 10% on ten classes).</summary>
    public const double TrainedAccuracy = 0.5;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The forward signal's mean square scales by 2^(<paramref name="predictedSlope"/>) per layer, within <see cref="SlopeTolerance"/> in log2.</summary>
    public static ExpectationResult SignalSlope(string claim, He2015Trial trial, double predictedSlope)
    {
        double slope = trial.Log2SlopePerLayer;
        int last = trial.MeanSquareRatios.Count;
        bool passed = Math.Abs(slope - predictedSlope) <= SlopeTolerance;
        string measured = string.Format(C, "log2 E[x_l^2]/E[x_0^2] falls {0:F3} per layer (least squares over layers 1..{1}; predicted {2:F0}); layer {1}: {3:0.00e+00} against 2^({4:F0}) = {5:0.00e+00}",
            -slope, last, 0 - predictedSlope, trial.MeanSquareRatios[^1], predictedSlope * last, Math.Pow(2, predictedSlope * last));
        return new ExpectationResult($"{claim} (fitted log2 slope within {SlopeTolerance.ToString(C)} of {predictedSlope.ToString(C)})", passed, measured,
            "Var[y_l] = Var[y_1] prod (n_l Var[w_l] / 2) (eq. 10): halves per layer with Xavier, constant with He");
    }

    /// <summary>A stalled run: every epoch's mean loss stays within <see cref="StallBand"/> of the starting loss.</summary>
    public static ExpectationResult Stalls(He2015Trial trial)
    {
        double worst = 0;
        foreach (double loss in trial.EpochLosses)
            worst = Math.Max(worst, double.IsFinite(loss) ? Math.Abs(loss / trial.StartLoss - 1) : double.PositiveInfinity);
        bool passed = trial.EpochLosses.Count > 0 && worst <= StallBand;
        string measured = trial.EpochLosses.Count == 0 ? "no epoch finished" : string.Format(C,
            "start loss {0:F4}; epoch losses from {1:F4} (first) to {2:F4} (last of {3}), lowest {4:F4}; largest move {5:F2}%",
            trial.StartLoss, trial.EpochLosses[0], trial.EpochLosses[^1], trial.EpochLosses.Count, trial.EpochLosses.Min(), worst * 100);
        return new ExpectationResult(string.Create(C, $"{trial.Label} stalls: every epoch's loss stays within {StallBand * 100:F0}% of its start"), passed, measured,
            "the 30-layer Xavier network \"completely stalls\" (Fig. 3, ImageNet conv net)");
    }

    /// <summary>A training run: its final loss is under <see cref="TrainedLossRatio"/> of its start and its held-out accuracy at least <see cref="TrainedAccuracy"/>.</summary>
    public static ExpectationResult Trains(He2015Trial trial)
    {
        bool passed = trial.FinalLossRatio < TrainedLossRatio && trial.TestAccuracy >= TrainedAccuracy;
        string measured = string.Format(C, "loss {0:F4} -> {1:F4} ({2:F1}% of its start); held-out accuracy {3:F1}%",
            trial.StartLoss, trial.EpochLosses.Count == 0 ? double.NaN : trial.EpochLosses[^1], trial.FinalLossRatio * 100, trial.TestAccuracy * 100);
        return new ExpectationResult(
            string.Create(C, $"{trial.Label} trains: final loss under {TrainedLossRatio * 100:F0}% of its start, held-out accuracy at least {TrainedAccuracy * 100:F0}% (chance 10%)"),
            passed, measured, "the 30-layer network with He init converges (Fig. 3)");
    }
}
