using Gradscope.Tensors;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// A dense grid over the input plane and what a network does to it: the spread of each layer's
/// image (the "smaller and smaller region") and how alike pairs of points become.
/// </summary>
internal static class GridSpread
{
    /// <summary>
    /// <paramref name="side"/> x <paramref name="side"/> points evenly over [low, high]^2, one per row,
    /// row-major from the top: row <c>r * side + c</c> is (x = column c, y = row r from the top).
    /// </summary>
    public static Matrix<double> Grid(int side, double low, double high)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 2);
        var grid = new Matrix<double>(side * side, 2);
        double step = (high - low) / (side - 1);
        for (int r = 0; r < side; r++)
        {
            for (int c = 0; c < side; c++)
            {
                grid[(r * side) + c, 0] = low + (c * step);
                grid[(r * side) + c, 1] = high - (r * step);
            }
        }

        return grid;
    }

    /// <summary>sqrt(mean over points of ||x_p - mean||^2): the RMS distance of the points from their mean.</summary>
    public static double Spread(Matrix<double> points)
    {
        var mean = new double[points.Cols];
        for (int r = 0; r < points.Rows; r++)
        {
            ReadOnlySpan<double> row = points.Row(r);
            for (int k = 0; k < row.Length; k++)
                mean[k] += row[k];
        }

        for (int k = 0; k < mean.Length; k++)
            mean[k] /= points.Rows;
        double sum = 0;
        for (int r = 0; r < points.Rows; r++)
        {
            ReadOnlySpan<double> row = points.Row(r);
            for (int k = 0; k < row.Length; k++)
                sum += (row[k] - mean[k]) * (row[k] - mean[k]);
        }

        return Math.Sqrt(sum / points.Rows);
    }

    /// <summary>sqrt(mean over points of ||x_p||^2): the points' size, against which float64 rounding is judged.</summary>
    public static double RootMeanSquareNorm(Matrix<double> points)
    {
        double sum = 0;
        foreach (double v in points.Span)
            sum += v * v;
        return Math.Sqrt(sum / points.Rows);
    }

    /// <summary>Random pairs of distinct rows of a table of <paramref name="rows"/> points.</summary>
    public static (int A, int B)[] Pairs(int rows, int count, SeededRandom random)
    {
        var pairs = new (int, int)[count];
        for (int i = 0; i < count; i++)
        {
            int a = random.NextInt(rows);
            int b = random.NextInt(rows - 1);
            pairs[i] = (a, b >= a ? b + 1 : b);
        }

        return pairs;
    }

    /// <summary>
    /// Mean over <paramref name="pairs"/> of the uncentred correlation (cosine) h_a . h_b / (|h_a| |h_b|)
    /// of two rows: what mean-field theory's c_l is for a layer's pre-activations. Pairs with a zero
    /// row are left out.
    /// </summary>
    public static double MeanCosine(Matrix<double> points, (int A, int B)[] pairs)
    {
        double sum = 0;
        int count = 0;
        foreach (var (a, b) in pairs)
        {
            ReadOnlySpan<double> x = points.Row(a);
            ReadOnlySpan<double> y = points.Row(b);
            double xy = 0, xx = 0, yy = 0;
            for (int k = 0; k < x.Length; k++)
            {
                xy += x[k] * y[k];
                xx += x[k] * x[k];
                yy += y[k] * y[k];
            }

            if (xx > 0 && yy > 0)
            {
                sum += xy / Math.Sqrt(xx * yy);
                count++;
            }
        }

        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>Column <paramref name="unit"/> of <paramref name="points"/> minus its mean over the rows: one unit's image over the grid.</summary>
    public static double[] CentredUnit(Matrix<double> points, int unit)
    {
        var values = new double[points.Rows];
        double mean = 0;
        for (int r = 0; r < points.Rows; r++)
        {
            values[r] = points[r, unit];
            mean += values[r];
        }

        mean /= points.Rows;
        for (int r = 0; r < values.Length; r++)
            values[r] -= mean;
        return values;
    }
}
