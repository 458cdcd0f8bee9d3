using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
            int done = typeof(T) == typeof(float) && Avx.IsSupported
                ? TransposedPanel8x8(ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(b.Slice(((j0 + jr) * ldb) + p0))), ldb, kc, cols, ref Unsafe.As<T, float>(ref d), nr)
                : 0;
            for (int j = 0; j < cols; j++)
            {
                ref T s = ref MemoryMarshal.GetReference(b.Slice(((j0 + jr + j) * ldb) + p0, kc));
                for (int p = j < done ? kc - (kc % 8) : 0; p < kc; p++)
                    Unsafe.Add(ref d, (p * nr) + j) = Unsafe.Add(ref s, p);
            }
        }
    }

    // The forward product's B is W stored [n, k]: its panel is a transpose. Eight rows of W by
    // eight depths at a time are transposed in registers (unpack, shuffle, lane permute) instead of
    // one strided store per element, which cost a third of a small forward product. Returns the
    // columns handled (a multiple of 8); their last kc % 8 depths are left to the scalar loop.
    private static int TransposedPanel8x8(ref float source, int ldb, int kc, int cols, ref float destination, int nr)
    {
        int columns = cols - (cols % 8), depth = kc - (kc % 8);
        for (int j = 0; j < columns; j += 8)
        {
            ref float rows = ref Unsafe.Add(ref source, j * ldb);
            for (int p = 0; p < depth; p += 8)
            {
                ref float s = ref Unsafe.Add(ref rows, p);
                var r0 = Vector256.LoadUnsafe(ref s);
                var r1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, ldb));
                var r2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 2 * ldb));
                var r3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 3 * ldb));
                var r4 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 4 * ldb));
                var r5 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 5 * ldb));
                var r6 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 6 * ldb));
                var r7 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 7 * ldb));
                var t0 = Avx.UnpackLow(r0, r1);
                var t1 = Avx.UnpackHigh(r0, r1);
                var t2 = Avx.UnpackLow(r2, r3);
                var t3 = Avx.UnpackHigh(r2, r3);
                var t4 = Avx.UnpackLow(r4, r5);
                var t5 = Avx.UnpackHigh(r4, r5);
                var t6 = Avx.UnpackLow(r6, r7);
                var t7 = Avx.UnpackHigh(r6, r7);
                var u0 = Avx.Shuffle(t0, t2, 0x44);
                var u1 = Avx.Shuffle(t0, t2, 0xEE);
                var u2 = Avx.Shuffle(t1, t3, 0x44);
                var u3 = Avx.Shuffle(t1, t3, 0xEE);
                var u4 = Avx.Shuffle(t4, t6, 0x44);
                var u5 = Avx.Shuffle(t4, t6, 0xEE);
                var u6 = Avx.Shuffle(t5, t7, 0x44);
                var u7 = Avx.Shuffle(t5, t7, 0xEE);
                ref float d = ref Unsafe.Add(ref destination, (p * nr) + j);
                Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref d);
                Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref Unsafe.Add(ref d, nr));
                Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref Unsafe.Add(ref d, 2 * nr));
                Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref Unsafe.Add(ref d, 3 * nr));
                Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 4 * nr));
                Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 5 * nr));
                Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 6 * nr));
                Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 7 * nr));
            }
        }

        return columns;
    }
}
