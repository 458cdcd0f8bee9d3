using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Recurrent;

/// <summary>The largest singular value of a matrix, by power iteration on W^T W.</summary>
public static class SpectralNorm
{
    /// <summary>
    /// lambda_1(W) = sqrt(largest eigenvalue of W^T W), by power iteration in double from a fixed
    /// start vector (deterministic), stopping when the estimate changes by less than
    /// <paramref name="tolerance"/> (relative) or after <paramref name="maxIterations"/>.
    /// Costs O(rows * cols) per iteration; 0 for a zero matrix.
    /// </summary>
    public static double Largest<T>(Matrix<T> weight, int maxIterations = 500, double tolerance = 1e-10)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(weight);
        int rows = weight.Rows, cols = weight.Cols;
        if (rows == 0 || cols == 0)
            return 0;
        var v = new double[cols];
        var wv = new double[rows];
        var rng = new SeededRandom(12345);
        for (int j = 0; j < cols; j++)
            v[j] = rng.NextGaussian();
        Normalize(v);

        double sigma = 0;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            // wv = W v;  v = W^T wv / ||W^T wv||;  sigma = ||W v|| with ||v|| = 1.
            MultiplyInto(weight, v, wv);
            double next = Math.Sqrt(Dot(wv, wv));
            MultiplyTransposedInto(weight, wv, v);
            if (Normalize(v) == 0)
                return 0;
            bool converged = Math.Abs(next - sigma) <= tolerance * next;
            sigma = next;
            if (converged)
                break;
        }

        MultiplyInto(weight, v, wv);
        return Math.Sqrt(Dot(wv, wv));
    }

    private static void MultiplyInto<T>(Matrix<T> w, double[] v, double[] result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < w.Rows; i++)
        {
            ReadOnlySpan<T> row = w.Row(i);
            double sum = 0;
            for (int j = 0; j < row.Length; j++)
                sum += double.CreateTruncating(row[j]) * v[j];
            result[i] = sum;
        }
    }

    private static void MultiplyTransposedInto<T>(Matrix<T> w, double[] u, double[] result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Array.Clear(result);
        for (int i = 0; i < w.Rows; i++)
        {
            ReadOnlySpan<T> row = w.Row(i);
            for (int j = 0; j < row.Length; j++)
                result[j] += double.CreateTruncating(row[j]) * u[i];
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    private static double Normalize(double[] v)
    {
        double norm = Math.Sqrt(Dot(v, v));
        if (norm > 0)
        {
            for (int i = 0; i < v.Length; i++)
                v[i] /= norm;
        }

        return norm;
    }
}
