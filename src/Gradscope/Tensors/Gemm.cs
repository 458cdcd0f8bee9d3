using System.Numerics;

namespace Gradscope.Tensors;

/// <summary>
/// The three matrix products a dense layer needs. Each validates shapes once and calls the packed
/// <see cref="GemmKernel"/>, which transposes while packing, so no call copies a whole operand and
/// steady-state calls allocate nothing. <see cref="ReferenceGemm"/> is the oracle these are tested
/// against.
/// </summary>
internal static class Gemm
{
    /// <summary><c>C[m, n] (+)= A[m, k] B[n, k]^T</c>: the forward product <c>X W^T</c>.</summary>
    public static void MultiplyTransposeB<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes("A B^T", a.Rows, a.Cols, b.Cols, b.Rows, c);
        GemmKernel.Multiply(a, false, b, true, c, a.Cols, accumulate);
    }

    /// <summary>
    /// <c>C[m, n] = A[m, k] B[n, k]^T + bias</c>, the bias (n values) added to every row as the
    /// product is written: a dense layer's forward pass <c>X W^T + b</c> in one pass over C.
    /// </summary>
    public static void Affine<T>(Matrix<T> a, Matrix<T> b, Matrix<T> bias, Matrix<T> c)
        where T : unmanaged, IFloatingPointIeee754<T> => Affine(a, b, bias, c, epilogue: null);

    /// <summary>
    /// <see cref="Affine{T}(Matrix{T}, Matrix{T}, Matrix{T}, Matrix{T})"/>, handing each block of C
    /// to <paramref name="epilogue"/> as soon as it is final (a dense layer's activation).
    /// </summary>
    internal static void Affine<T>(Matrix<T> a, Matrix<T> b, Matrix<T> bias, Matrix<T> c, IGemmEpilogue? epilogue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes("A B^T + bias", a.Rows, a.Cols, b.Cols, b.Rows, c);
        if (bias.Length != c.Cols)
            throw new ArgumentException($"GEMM A B^T + bias: bias has {bias.Length} values but the output has {c.Cols} columns.");
        GemmKernel.Multiply(a, false, b, true, c, a.Cols, accumulate: false, bias, epilogue: epilogue);
    }

    /// <summary><c>C[m, n] (+)= A[m, k] B[k, n]</c>: the input gradient <c>dY W</c>.</summary>
    public static void Multiply<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes("A B", a.Rows, a.Cols, b.Rows, b.Cols, c);
        GemmKernel.Multiply(a, false, b, false, c, a.Cols, accumulate);
    }

    /// <summary><c>C[m, n] (+)= A[k, m]^T B[k, n]</c>: the weight gradient <c>dY^T X</c>.</summary>
    public static void MultiplyTransposeA<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes("A^T B", a.Cols, a.Rows, b.Rows, b.Cols, c);
        GemmKernel.Multiply(a, true, b, false, c, a.Rows, accumulate);
    }

    /// <summary>
    /// <c>C[m, n] (+)= A[k, m]^T B[k, n]</c> as <see cref="MultiplyTransposeA{T}"/>, returning the sum
    /// of squares of C as written, computed in the write-back itself: a weight gradient and its
    /// norm in one pass.
    /// </summary>
    public static double MultiplyTransposeASquares<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes("A^T B", a.Cols, a.Rows, b.Rows, b.Cols, c);
        return GemmKernel.Multiply(a, true, b, false, c, a.Rows, accumulate, squares: true);
    }

    /// <summary>Writes the <paramref name="cols"/> x <paramref name="rows"/> transpose of a row-major matrix.</summary>
    public static void Transpose<T>(ReadOnlySpan<T> source, int rows, int cols, Span<T> destination)
        where T : unmanaged
    {
        const int tile = 32; // tiles keep both the read and the write side in L1
        for (int i0 = 0; i0 < rows; i0 += tile)
        {
            int iEnd = Math.Min(i0 + tile, rows);
            for (int j0 = 0; j0 < cols; j0 += tile)
            {
                int jEnd = Math.Min(j0 + tile, cols);
                for (int i = i0; i < iEnd; i++)
                {
                    for (int j = j0; j < jEnd; j++)
                        destination[(j * rows) + i] = source[(i * cols) + j];
                }
            }
        }
    }

    private static void CheckShapes<T>(string product, int m, int k, int kB, int n, Matrix<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (k != kB || c.Rows != m || c.Cols != n)
        {
            throw new ArgumentException(
                $"GEMM {product}: inner sizes {k} and {kB}, output [{c.Rows}, {c.Cols}] but expected [{m}, {n}].");
        }
    }
}
