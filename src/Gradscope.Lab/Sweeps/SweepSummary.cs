namespace Gradscope.Lab.Sweeps;

/// <summary>
/// Mean and sample standard deviation (n - 1; 0 for one value) of a measure over a cell's seeds,
/// counting only finite values (a diverged run has no final loss).
/// </summary>
/// <param name="Mean">The mean; NaN when no value is finite.</param>
/// <param name="Std">The sample standard deviation; NaN when no value is finite.</param>
/// <param name="Count">The finite values it covers.</param>
public sealed record Spread(double Mean, double Std, int Count)
{
    /// <summary>The spread of <paramref name="values"/>.</summary>
    public static Spread Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double sum = 0;
        int n = 0;
        foreach (double v in values)
        {
            if (double.IsFinite(v))
                (sum, n) = (sum + v, n + 1);
        }

        if (n == 0)
            return new Spread(double.NaN, double.NaN, 0);
        double mean = sum / n, squares = 0;
        foreach (double v in values)
        {
            if (double.IsFinite(v))
                squares += (v - mean) * (v - mean);
        }

        return new Spread(mean, n > 1 ? Math.Sqrt(squares / (n - 1)) : 0, n);
    }
}

/// <summary>One cell of a sweep (its trials differ only in their seed), measured over its finished trials.</summary>
/// <param name="Cell">The cell's settings (<c>activation=tanh layers=2x32</c>); empty when nothing varies.</param>
/// <param name="Trials">Its trials.</param>
/// <param name="Done">Trials that ran to their end (completed or diverged).</param>
/// <param name="Failed">Trials that stopped with an error.</param>
/// <param name="Diverged">Done trials whose run diverged.</param>
/// <param name="OrdersLost">Orders of magnitude of delta_rms lost from the last layer to the first, early in training (<see cref="TrialMeasures"/>).</param>
/// <param name="FirstToLastRatio">First layer's delta_rms over the last layer's, early in training.</param>
/// <param name="FinalLoss">Final training loss.</param>
/// <param name="TrainAccuracy">Final training accuracy.</param>
/// <param name="TestAccuracy">Final test accuracy.</param>
/// <param name="Findings">Finding kinds with the number of done trials that had each, most frequent first.</param>
public sealed record SweepCellSummary(
    string Cell,
    int Trials,
    int Done,
    int Failed,
    int Diverged,
    Spread OrdersLost,
    Spread FirstToLastRatio,
    Spread FinalLoss,
    Spread TrainAccuracy,
    Spread TestAccuracy,
    IReadOnlyList<FindingCount> Findings);

/// <summary>How many trials had a finding of kind <paramref name="Kind"/>.</summary>
/// <param name="Kind">The finding kind as findings JSON writes it (<c>Vanishing</c>).</param>
/// <param name="Trials">Trials with at least one finding of that kind.</param>
public sealed record FindingCount(string Kind, int Trials);

/// <summary>A sweep's summary: its trial counts by state and one row per cell, in trial order.</summary>
/// <param name="Name">The sweep.</param>
/// <param name="Counts">Trials per <see cref="Store.TrialState"/>.</param>
/// <param name="Cells">One row per cell.</param>
public sealed record SweepSummary(string Name, IReadOnlyList<int> Counts, IReadOnlyList<SweepCellSummary> Cells)
{
    /// <summary>Trials in <paramref name="state"/>.</summary>
    public int Count(Store.TrialState state) => Counts[(int)state];

    /// <summary>Trials in every state.</summary>
    public int Total
    {
        get
        {
            int total = 0;
            foreach (int count in Counts)
                total += count;
            return total;
        }
    }
}
