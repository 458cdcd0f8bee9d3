using System.Numerics;

namespace Gradscope.Tensors;

/// <summary>
/// The naive triple loop: the oracle every tuned GEMM path is tested against. Slow by design.
/// </summary>
internal static class ReferenceGemm
{
    /// <summary>
    /// <c>C = op(A) op(B)</c> with op the transpose when the flag is set; sums in double for a
    /// reference more accurate than any float kernel.
    /// </summary>
    public static Matrix<T> Multiply<T>(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = transposeA ? a.Cols : a.Rows;
        int k = transposeA ? a.Rows : a.Cols;
        int kB = transposeB ? b.Cols : b.Rows;
        int n = transposeB ? b.Rows : b.Cols;
        if (k != kB)
            throw new ArgumentException($"Inner sizes differ: {k} and {kB}.");
        var c = new Matrix<T>(m, n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    T x = transposeA ? a[p, i] : a[i, p];
                    T y = transposeB ? b[j, p] : b[p, j];
                    sum += double.CreateTruncating(x) * double.CreateTruncating(y);
                }

                c[i, j] = T.CreateTruncating(sum);
            }
        }

        return c;
    }
}
