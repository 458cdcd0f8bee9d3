namespace Gradscope.Lab.Experiments;

/// <summary>
/// One (activation, depth) cell: its networks, one per seed, and the summaries the tables and the
/// expectations read. Ratios across seeds are combined by their geometric mean (they span orders
/// of magnitude); correlations by their mean.
/// </summary>
internal sealed class SquashingCell
{
    /// <summary>Correlation above which two inputs count as indistinguishable.</summary>
    public const double Indistinguishable = 0.99;

    /// <summary>
    /// Relative spread (spread over size) under which a layer's image of the grid is a single point
    /// up to float64 rounding (measured floor: about 1e-14), so ratios of spreads measure rounding.
    /// </summary>
    public const double ResolvableSpread = 1e-12;

    public SquashingCell(IReadOnlyList<NetworkMeasurement> seeds)
    {
        ArgumentOutOfRangeException.ThrowIfZero(seeds.Count);
        Seeds = seeds;
    }

    public IReadOnlyList<NetworkMeasurement> Seeds { get; }

    public SquashingFamily Family => Seeds[0].Family;

    public int Depth => Seeds[0].Depth;

    /// <summary>First hidden layer's movement over the last hidden layer's, for one seed's network.</summary>
    public static double SensitivityRatio(NetworkMeasurement m, bool full)
    {
        var movement = full ? m.Movement100 : m.Movement10;
        return movement[0] / movement[m.Depth - 1];
    }

    /// <summary>First hidden layer's weight-gradient RMS over the last hidden layer's.</summary>
    public static double GradientRatio(NetworkMeasurement m) => m.GradientRms[0] / m.GradientRms[m.Depth - 1];

    /// <summary>The same for the per-example gradients (RMS over the batch of each example's gradient norm).</summary>
    public static double ExampleGradientRatio(NetworkMeasurement m) => m.ExampleGradientRms[0] / m.ExampleGradientRms[m.Depth - 1];

    /// <summary>Layer l's output spread over its input's (l = 0: over the input grid's).</summary>
    public static double SpreadRatio(NetworkMeasurement m, int l) => m.Spread[l] / (l == 0 ? m.InputSpread : m.Spread[l - 1]);

    /// <summary>Whether the grid's image before layer l (the input grid for l = 0) still has a spread float64 resolves.</summary>
    public static bool InputResolved(NetworkMeasurement m, int l) => l == 0 || m.Spread[l - 1] >= ResolvableSpread * m.Size[l - 1];

    /// <summary>The first layer (1-based) whose correlation reaches <see cref="Indistinguishable"/>; null when none does.</summary>
    public static int? LayersUntilIndistinguishable(double[] correlation)
    {
        for (int l = 0; l < correlation.Length; l++)
        {
            if (correlation[l] >= Indistinguishable)
                return l + 1;
        }

        return null;
    }

    /// <summary>Geometric mean over seeds of <paramref name="value"/>.</summary>
    public double GeoMean(Func<NetworkMeasurement, double> value)
    {
        double sum = 0;
        foreach (var m in Seeds)
            sum += Math.Log(value(m));
        return Math.Exp(sum / Seeds.Count);
    }

    /// <summary>Arithmetic mean over seeds of <paramref name="value"/>.</summary>
    public double Mean(Func<NetworkMeasurement, double> value)
    {
        double sum = 0;
        foreach (var m in Seeds)
            sum += value(m);
        return sum / Seeds.Count;
    }

    /// <summary>Smallest and largest over seeds of <paramref name="value"/>.</summary>
    public (double Min, double Max) Range(Func<NetworkMeasurement, double> value)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var m in Seeds)
        {
            double v = value(m);
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return (min, max);
    }
}
