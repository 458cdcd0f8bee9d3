using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using Gradscope.Tensors;

namespace Gradscope.Benchmarks.Baseline;

/// <summary>
/// The kernel Gradscope had before the packed GEMM (four rows by two vectors of C in registers,
/// B read unpacked, whole-operand transposes), kept here only as the baseline the benchmarks
/// compare against.
/// </summary>
internal static class RowBlockedGemm
{
    private const int RowBlock = 4;

    /// <summary>The old forward product: transpose B into a scratch buffer, then the kernel.</summary>
    public static void MultiplyTransposeB<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, T[] scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Gemm.Transpose<T>(b.Span, b.Rows, b.Cols, scratch);
        Multiply<T>(a.Span, a.Cols, scratch, b.Rows, c.Span, c.Cols, a.Rows, b.Rows, a.Cols, accumulate: false);
    }

    public static void Multiply<T>(
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!accumulate)
        {
            for (int i = 0; i < m; i++)
                c.Slice(i * ldc, n).Clear();
        }

        if (m == 0 || n == 0 || k == 0)
            return;

        int j = 0;
        if (Elementwise.UseSimd)
        {
            int width = Vector<T>.Count;
            for (; j <= n - (2 * width); j += 2 * width)
                TwoVectorColumns(a, lda, b, ldb, c, ldc, m, k, j);
            for (; j <= n - width; j += width)
                OneVectorColumns(a, lda, b, ldb, c, ldc, m, k, j);
        }

        for (; j < n; j++)
            ScalarColumn(a, lda, b, ldb, c, ldc, m, k, j);
    }

    // Kernel: Unsafe refs avoid bounds checks in the innermost loop; callers validated all
    // extents against the spans' lengths in Gemm.
    private static void TwoVectorColumns<T>(
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, int m, int k, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        ref T a0 = ref MemoryMarshal.GetReference(a);
        ref T b0 = ref MemoryMarshal.GetReference(b);
        ref T c0 = ref MemoryMarshal.GetReference(c);
        int i = 0;
        for (; i <= m - RowBlock; i += RowBlock)
        {
            Vector<T> c00 = default, c01 = default, c10 = default, c11 = default;
            Vector<T> c20 = default, c21 = default, c30 = default, c31 = default;
            ref T ar = ref Unsafe.Add(ref a0, i * lda);
            for (int p = 0; p < k; p++)
            {
                nuint offset = (nuint)((p * ldb) + j);
                var bv0 = Vector.LoadUnsafe(ref b0, offset);
                var bv1 = Vector.LoadUnsafe(ref b0, offset + (nuint)width);
                var x0 = new Vector<T>(Unsafe.Add(ref ar, p));
                var x1 = new Vector<T>(Unsafe.Add(ref ar, lda + p));
                var x2 = new Vector<T>(Unsafe.Add(ref ar, (2 * lda) + p));
                var x3 = new Vector<T>(Unsafe.Add(ref ar, (3 * lda) + p));
                c00 += x0 * bv0;
                c01 += x0 * bv1;
                c10 += x1 * bv0;
                c11 += x1 * bv1;
                c20 += x2 * bv0;
                c21 += x2 * bv1;
                c30 += x3 * bv0;
                c31 += x3 * bv1;
            }

            AddTo(ref c0, (i * ldc) + j, c00, c01, width);
            AddTo(ref c0, ((i + 1) * ldc) + j, c10, c11, width);
            AddTo(ref c0, ((i + 2) * ldc) + j, c20, c21, width);
            AddTo(ref c0, ((i + 3) * ldc) + j, c30, c31, width);
        }

        for (; i < m; i++)
        {
            OneRowVector(ref a0, lda, ref b0, ldb, ref c0, ldc, k, i, j);
            OneRowVector(ref a0, lda, ref b0, ldb, ref c0, ldc, k, i, j + width);
        }
    }

    private static void OneVectorColumns<T>(
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, int m, int k, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T a0 = ref MemoryMarshal.GetReference(a);
        ref T b0 = ref MemoryMarshal.GetReference(b);
        ref T c0 = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < m; i++)
            OneRowVector(ref a0, lda, ref b0, ldb, ref c0, ldc, k, i, j);
    }

    private static void OneRowVector<T>(ref T a0, int lda, ref T b0, int ldb, ref T c0, int ldc, int k, int i, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T> acc = default;
        ref T ar = ref Unsafe.Add(ref a0, i * lda);
        for (int p = 0; p < k; p++)
            acc += new Vector<T>(Unsafe.Add(ref ar, p)) * Vector.LoadUnsafe(ref b0, (nuint)((p * ldb) + j));
        nuint at = (nuint)((i * ldc) + j);
        (Vector.LoadUnsafe(ref c0, at) + acc).StoreUnsafe(ref c0, at);
    }

    private static void AddTo<T>(ref T c0, int at, Vector<T> lo, Vector<T> hi, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (Vector.LoadUnsafe(ref c0, (nuint)at) + lo).StoreUnsafe(ref c0, (nuint)at);
        (Vector.LoadUnsafe(ref c0, (nuint)(at + width)) + hi).StoreUnsafe(ref c0, (nuint)(at + width));
    }

    private static void ScalarColumn<T>(
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, int m, int k, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            T acc = T.Zero;
            for (int p = 0; p < k; p++)
                acc += a[(i * lda) + p] * b[(p * ldb) + j];
            c[(i * ldc) + j] += acc;
        }
    }
}
