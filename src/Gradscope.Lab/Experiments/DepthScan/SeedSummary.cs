namespace Gradscope.Lab.Experiments;

/// <summary>Mean, sample standard deviation (0 for one value), minimum and maximum of one cell's values over seeds.</summary>
internal readonly record struct SeedSummary(double Mean, double Spread, double Min, double Max, int Count)
{
    /// <summary>Summarizes <paramref name="values"/>; NaN everywhere when it is empty.</summary>
    public static SeedSummary Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = values.Count;
        if (n == 0)
            return new SeedSummary(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        double mean = sum / n, squares = 0;
        foreach (double v in values)
            squares += (v - mean) * (v - mean);
        return new SeedSummary(mean, n > 1 ? Math.Sqrt(squares / (n - 1)) : 0, min, max, n);
    }
}
