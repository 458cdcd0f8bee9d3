namespace Gradscope.Lab.Experiments;

/// <summary>
/// An ordinary least-squares line y = intercept + slope * x through points, with its coefficient of
/// determination R^2 (1 - residual sum of squares / total sum of squares; 1 when y does not vary).
/// </summary>
internal readonly record struct LineFit(double Slope, double Intercept, double RSquared, int Points)
{
    /// <summary>Fits the line; needs at least two distinct x values (slope NaN otherwise).</summary>
    public static LineFit Through(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
            throw new ArgumentException($"{x.Count} x values for {y.Count} y values.", nameof(y));
        int n = x.Count;
        double mx = Mean(x), my = Mean(y);
        double sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }

        if (n < 2 || sxx == 0)
            return new LineFit(double.NaN, double.NaN, double.NaN, n);
        double slope = sxy / sxx;
        double intercept = my - (slope * mx);
        double residual = 0;
        for (int i = 0; i < n; i++)
        {
            double e = y[i] - (intercept + (slope * x[i]));
            residual += e * e;
        }

        return new LineFit(slope, intercept, syy == 0 ? 1 : 1 - (residual / syy), n);
    }

    private static double Mean(IReadOnlyList<double> values)
    {
        double sum = 0;
        foreach (double v in values)
            sum += v;
        return values.Count == 0 ? double.NaN : sum / values.Count;
    }
}
