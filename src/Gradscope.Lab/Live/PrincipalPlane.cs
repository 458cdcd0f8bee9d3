namespace Gradscope.Lab.Live;

/// <summary>
/// A point cloud's total variance and its projection on its first two principal directions, found
/// by power iteration on the covariance (with deflation for the second): enough for a picture.
/// </summary>
internal static class PrincipalPlane
{
    private const int Iterations = 200;
    private const double Converged = 1e-12;

    // Variance below this share of the total is rounding.
    private const double Negligible = 1e-12;

    /// <summary>The covariance of the rows of <paramref name="points"/> (<c>rows x width</c>, row-major) and its trace.</summary>
    public static (double[,] Covariance, double TotalVariance, double[] Mean) Covariance(double[] points, int rows, int width)
    {
        var mean = new double[width];
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < width; k++)
                mean[k] += points[(r * width) + k] / rows;
        }

        var covariance = new double[width, width];
        var centred = new double[width];
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < width; k++)
                centred[k] = points[(r * width) + k] - mean[k];
            for (int i = 0; i < width; i++)
            {
                for (int j = i; j < width; j++)
                    covariance[i, j] += centred[i] * centred[j] / rows;
            }
        }

        double trace = 0;
        for (int i = 0; i < width; i++)
        {
            trace += covariance[i, i];
            for (int j = 0; j < i; j++)
                covariance[i, j] = covariance[j, i];
        }

        return (covariance, trace, mean);
    }

    /// <summary>Each row's (x, y) coordinates on the first two principal directions, centred; y is 0 for a single column.</summary>
    public static double[][] Project(double[] points, int rows, int width)
    {
        var (covariance, total, mean) = Covariance(points, rows, width);
        var first = Leading(covariance, width, null);
        Deflate(covariance, first, width);

        // A cloud on a line has no second direction: what deflation leaves is rounding, not variance.
        var second = width > 1 ? Leading(covariance, width, first) : new double[width];
        if (Rayleigh(covariance, second, width) <= Negligible * total)
            Array.Clear(second);
        var projected = new double[rows][];
        for (int r = 0; r < rows; r++)
        {
            double x = 0, y = 0;
            for (int k = 0; k < width; k++)
            {
                double v = points[(r * width) + k] - mean[k];
                x += v * first[k];
                y += v * second[k];
            }

            projected[r] = [x, y];
        }

        return projected;
    }

    // Power iteration from a fixed start, so the same cloud always gives the same picture; the sign
    // is fixed by making the largest component positive.
    // The second direction is kept orthogonal to the first (given as orthogonalTo) at every iteration.
    private static double[] Leading(double[,] covariance, int width, double[]? orthogonalTo)
    {
        var v = new double[width];
        for (int k = 0; k < width; k++)
            v[k] = 1.0 + (0.01 * k);
        var next = new double[width];
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            for (int i = 0; i < width; i++)
            {
                double sum = 0;
                for (int j = 0; j < width; j++)
                    sum += covariance[i, j] * v[j];
                next[i] = sum;
            }

            if (orthogonalTo is not null)
                RemoveComponent(next, orthogonalTo);

            double norm = Norm(next);
            if (norm == 0 || !double.IsFinite(norm))
                return new double[width];
            double change = 0;
            for (int k = 0; k < width; k++)
            {
                change += Math.Abs((next[k] / norm) - v[k]);
                v[k] = next[k] / norm;
            }

            if (change < Converged)
                break;
        }

        int largest = 0;
        for (int k = 1; k < width; k++)
            largest = Math.Abs(v[k]) > Math.Abs(v[largest]) ? k : largest;
        if (v[largest] < 0)
        {
            for (int k = 0; k < width; k++)
                v[k] = -v[k];
        }

        return v;
    }

    private static void RemoveComponent(double[] v, double[] direction)
    {
        double dot = 0;
        for (int k = 0; k < v.Length; k++)
            dot += v[k] * direction[k];
        for (int k = 0; k < v.Length; k++)
            v[k] -= dot * direction[k];
    }

    private static double Rayleigh(double[,] covariance, double[] direction, int width)
    {
        double value = 0;
        for (int i = 0; i < width; i++)
        {
            for (int j = 0; j < width; j++)
                value += direction[i] * covariance[i, j] * direction[j];
        }

        return value;
    }

    private static void Deflate(double[,] covariance, double[] direction, int width)
    {
        double eigenvalue = Rayleigh(covariance, direction, width);

        for (int i = 0; i < width; i++)
        {
            for (int j = 0; j < width; j++)
                covariance[i, j] -= eigenvalue * direction[i] * direction[j];
        }
    }

    private static double Norm(double[] v)
    {
        double sum = 0;
        foreach (double x in v)
            sum += x * x;
        return Math.Sqrt(sum);
    }
}
