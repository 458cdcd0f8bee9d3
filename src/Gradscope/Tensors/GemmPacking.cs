using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradscope.Tensors;

/// <summary>
/// Copies cache blocks of op(A) and op(B) into the contiguous, zero-padded micro-panels the
/// micro-kernel streams (Goto and van de Geijn, "Anatomy of high-performance matrix
/// multiplication", 2008). Transposition happens here, for free, so all three products of a dense
/// layer share one kernel and need no transposed copies of whole matrices.
/// </summary>
internal static class GemmPacking
{
    /// <summary>
    /// Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] as panels of <see cref="GemmMicroKernel.Mr"/> rows, each
    /// stored k-major (<c>panel[p * Mr + r]</c>). op(A)(i, p) is <c>a[i * lda + p]</c>, or
    /// <c>a[p * lda + i]</c> when <paramref name="transposed"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(ReadOnlySpan<T> a, int lda, bool transposed, int i0, int mc, int p0, int kc, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int mr = GemmMicroKernel.Mr;
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            Span<T> panel = destination.Slice(ir * kc, mr * kc);
            if (rows < mr)
                panel.Clear();
            ref T d = ref MemoryMarshal.GetReference(panel);
            if (transposed)
            {
                for (int p = 0; p < kc; p++)
                    a.Slice(((p0 + p) * lda) + i0 + ir, rows).CopyTo(panel.Slice(p * mr, rows));
                continue;
            }

            for (int r = 0; r < rows; r++)
            {
                // Safe indexing would bounds-check every element of the hottest copy; the slice checks the row once.
                ref T s = ref MemoryMarshal.GetReference(a.Slice(((i0 + ir + r) * lda) + p0, kc));
                for (int p = 0; p < kc; p++)
                    Unsafe.Add(ref d, (p * mr) + r) = Unsafe.Add(ref s, p);
            }
        }
    }

    /// <summary>
    /// Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] as panels of <paramref name="nr"/> columns, each stored
    /// k-major (<c>panel[p * nr + j]</c>). op(B)(p, j) is <c>b[p * ldb + j]</c>, or
    /// <c>b[j * ldb + p]</c> when <paramref name="transposed"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(ReadOnlySpan<T> b, int ldb, bool transposed, int p0, int kc, int j0, int nc, int nr, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            Span<T> panel = destination.Slice(jr * kc, nr * kc);
            if (cols < nr)
                panel.Clear();
            if (!transposed)
            {
                for (int p = 0; p < kc; p++)
                    b.Slice(((p0 + p) * ldb) + j0 + jr, cols).CopyTo(panel.Slice(p * nr, cols));
                continue;
            }

            ref T d = ref MemoryMarshal.GetReference(panel);
            for (int j = 0; j < cols; j++)
            {
                ref T s = ref MemoryMarshal.GetReference(b.Slice(((j0 + jr + j) * ldb) + p0, kc));
                for (int p = 0; p < kc; p++)
                    Unsafe.Add(ref d, (p * nr) + j) = Unsafe.Add(ref s, p);
            }
        }
    }
}
