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
        int first = 0;
        if (transposed && mc >= mr)
        {
            first = mc - (mc % mr);
            CopyPanelColumns(a.Slice((p0 * lda) + i0, ((kc - 1) * lda) + first), lda, kc, first, destination);
        }

        for (int ir = first; ir < mc; ir += mr)
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

            // The slice checks the panel's extent once; the copies below index without checks.
            ref T s = ref MemoryMarshal.GetReference(a.Slice(((i0 + ir) * lda) + p0, ((rows - 1) * lda) + kc));
            int done = rows == mr && typeof(T) == typeof(float) && Avx.IsSupported
                ? RowPanel6x8(ref Unsafe.As<T, float>(ref s), lda, kc, ref Unsafe.As<T, float>(ref d))
                : 0;
            for (int r = 0; r < rows; r++)
            {
                ref T row = ref Unsafe.Add(ref s, r * lda);
                for (int p = done; p < kc; p++)
                    Unsafe.Add(ref d, (p * mr) + r) = Unsafe.Add(ref row, p);
            }
        }
    }

    // Transposed A (the weight gradient's dY^T) has each depth's Mr values contiguous. The block is
    // read row by row, in order, each row's pieces going to every full panel (reading a panel's
    // column strip, a row's stride apart, defeated the prefetcher), one fixed-size block copy per
    // piece, which the JIT unrolls into vector moves (a memmove call per 24 bytes was an eighth of
    // a wide training step).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyPanelColumns<T>(ReadOnlySpan<T> rows, int lda, int kc, int columns, Span<T> destination)
        where T : unmanaged
    {
        const int mr = GemmMicroKernel.Mr;
        ref T s = ref MemoryMarshal.GetReference(rows);
        ref T d = ref MemoryMarshal.GetReference(destination.Slice(0, columns * kc));
        for (int p = 0; p < kc; p++)
        {
            ref T source = ref Unsafe.Add(ref s, p * lda);
            ref T target = ref Unsafe.Add(ref d, p * mr);
            for (int ir = 0; ir < columns; ir += mr)
                Unsafe.As<T, PanelColumn<T>>(ref Unsafe.Add(ref target, ir * kc)) = Unsafe.As<T, PanelColumn<T>>(ref Unsafe.Add(ref source, ir));
        }
    }

    // Row-major A: six rows by eight depths at a time are transposed in registers (the 8x8
    // transpose with two zero rows) and each depth's six values stored with one vector store; the
    // store's two extra lanes land where the next depth's store overwrites them, and the last
    // depth of a block is stored as four plus two. Returns the depths handled (a multiple of 8).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int RowPanel6x8(ref float source, int lda, int kc, ref float destination)
    {
        const int mr = GemmMicroKernel.Mr;
        int depth = kc - (kc % 8);
        for (int p = 0; p < depth; p += 8)
        {
            ref float s = ref Unsafe.Add(ref source, p);
            var (c0, c1, c2, c3, c4, c5, c6, c7) = Transpose8x8(
                Vector256.LoadUnsafe(ref s),
                Vector256.LoadUnsafe(ref Unsafe.Add(ref s, lda)),
                Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 2 * lda)),
                Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 3 * lda)),
                Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 4 * lda)),
                Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 5 * lda)),
                Vector256<float>.Zero,
                Vector256<float>.Zero);
            ref float d = ref Unsafe.Add(ref destination, p * mr);
            StoreSeven(ref d, mr, c0, c1, c2, c3, c4, c5, c6);
            ref float last = ref Unsafe.Add(ref d, 7 * mr);
            c7.GetLower().StoreUnsafe(ref last);
            Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref last, 4)), c7.GetUpper().AsUInt64().ToScalar());
        }

        return depth;
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
        int first = 0;
        if (!transposed && nr % Vector256<T>.Count == 0 && nc >= nr)
        {
            first = nc - (nc % nr);
            CopyPanelRows(b.Slice((p0 * ldb) + j0, ((kc - 1) * ldb) + first), ldb, kc, first, nr, destination);
        }

        for (int jr = first; jr < nc; jr += nr)
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

    // B stored [k, n] (the input gradient's W): each depth's nr values are contiguous. The block
    // is read row by row, in order (W is megabytes, often not in cache: column strips at a stride
    // of a whole row defeated the prefetcher), each row's pieces going to every full panel; and
    // with vector moves, not a memmove call per 64 bytes (a twelfth of a training step).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyPanelRows<T>(ReadOnlySpan<T> rows, int ldb, int kc, int columns, int nr, Span<T> destination)
        where T : unmanaged
    {
        ref T s = ref MemoryMarshal.GetReference(rows);
        ref T d = ref MemoryMarshal.GetReference(destination.Slice(0, columns * kc));
        nuint w = (nuint)Vector256<T>.Count;
        for (int p = 0; p < kc; p++)
        {
            ref T source = ref Unsafe.Add(ref s, p * ldb);
            ref T target = ref Unsafe.Add(ref d, p * nr);
            for (int jr = 0; jr < columns; jr += nr)
            {
                ref T from = ref Unsafe.Add(ref source, jr);
                ref T to = ref Unsafe.Add(ref target, jr * kc);
                for (nuint j = 0; j < (nuint)nr; j += w)
                    Vector256.LoadUnsafe(ref from, j).StoreUnsafe(ref to, j);
            }
        }
    }

    // The forward product's B is W stored [n, k]: its panel is a transpose. Eight rows of W by
    // eight depths at a time are transposed in registers (unpack, shuffle, lane permute) instead of
    // one strided store per element, which cost a third of a small forward product. Returns the
    // columns handled (a multiple of 8); their last kc % 8 depths are left to the scalar loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
                var (c0, c1, c2, c3, c4, c5, c6, c7) = Transpose8x8(r0, r1, r2, r3, r4, r5, r6, r7);
                ref float d = ref Unsafe.Add(ref destination, (p * nr) + j);
                StoreSeven(ref d, nr, c0, c1, c2, c3, c4, c5, c6);
                c7.StoreUnsafe(ref Unsafe.Add(ref d, 7 * nr));
            }
        }

        return columns;
    }

    // The first seven columns of a transposed block, one per depth, `stride` floats apart (the
    // eighth is stored by the caller: whole, or as four plus two at a panel's end).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSeven(ref float d, int stride, Vector256<float> c0, Vector256<float> c1, Vector256<float> c2, Vector256<float> c3, Vector256<float> c4, Vector256<float> c5, Vector256<float> c6)
    {
        c0.StoreUnsafe(ref d);
        c1.StoreUnsafe(ref Unsafe.Add(ref d, stride));
        c2.StoreUnsafe(ref Unsafe.Add(ref d, 2 * stride));
        c3.StoreUnsafe(ref Unsafe.Add(ref d, 3 * stride));
        c4.StoreUnsafe(ref Unsafe.Add(ref d, 4 * stride));
        c5.StoreUnsafe(ref Unsafe.Add(ref d, 5 * stride));
        c6.StoreUnsafe(ref Unsafe.Add(ref d, 6 * stride));
    }

    /// <summary>Columns of the 8x8 block whose rows are r0..r7 (unpack, shuffle, lane permute).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>) Transpose8x8(
        Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3, Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7)
    {
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
        return (
            Avx.Permute2x128(u0, u4, 0x20),
            Avx.Permute2x128(u1, u5, 0x20),
            Avx.Permute2x128(u2, u6, 0x20),
            Avx.Permute2x128(u3, u7, 0x20),
            Avx.Permute2x128(u0, u4, 0x31),
            Avx.Permute2x128(u1, u5, 0x31),
            Avx.Permute2x128(u2, u6, 0x31),
            Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>The <see cref="GemmMicroKernel.Mr"/> values of one depth of a packed A panel, copied as one block.</summary>
    [InlineArray(GemmMicroKernel.Mr)]
    private struct PanelColumn<T>
        where T : unmanaged
    {
        private T _element;
    }
}
