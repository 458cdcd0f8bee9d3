using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Gradscope.Tensors;

/// <summary>
/// The register-blocked heart of the packed GEMM (BLIS's micro-kernel and macro-kernel): a
/// <see cref="Mr"/> x (2 vectors) tile of C is held in twelve accumulators while the packed panels
/// of A and B are streamed, so each loaded B vector feeds six FMAs and twelve accumulators plus two
/// B vectors and one broadcast fit the sixteen AVX2 registers.
/// </summary>
internal static class GemmMicroKernel
{
    /// <summary>Rows of C per micro-tile.</summary>
    public const int Mr = 6;

    /// <summary>The widest micro-tile (AVX-512 floats): two vectors of 16.</summary>
    public const int MaxNr = 32;

    /// <summary>
    /// C[mc, nc] (+)= A[mc, kc] packedB[kc, nc] for one cache block. B micro-panels stay in L1
    /// across the inner loop over A micro-panels (which sit in L2). A is either packed or read in
    /// place (<see cref="GemmOperandA{T}"/>); an in-place edge panel of fewer than Mr rows is packed
    /// into <paramref name="edgePanel"/> with zeros (unless <paramref name="edgePacked"/>: a caller
    /// sharing the block packed it once for all), so the kernel never reads past A. Edge tiles
    /// are computed into a stack tile and merged, so the micro-kernel itself never branches on
    /// sizes. A non-empty <paramref name="bias"/> (one value per column of this block) is added to
    /// every row as the tile is written back: the bias of a dense layer costs no pass of its own.
    /// With <paramref name="squares"/> (the last depth block), returns the sum of squares of the
    /// values written, squared and summed in double (<see cref="DoubleLanes"/>), so a weight
    /// gradient's norm costs no pass over memory either; otherwise 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Block<T, TVec, TSimd>(int mc, int nc, int kc, GemmOperandA<T> a, Span<T> edgePanel, bool edgePacked, Span<T> packedB, Span<T> c, int ldc, bool overwrite, ReadOnlySpan<T> bias, bool squares)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TSimd : IGemmSimd<TVec, T>
    {
        int nr = 2 * TSimd.Width;
        Span<T> tile = stackalloc T[Mr * MaxNr];
        ref T a0 = ref MemoryMarshal.GetReference(a.Data);
        ref T b0 = ref MemoryMarshal.GetReference(packedB);
        ref T c0 = ref MemoryMarshal.GetReference(c);
        bool addBias = !bias.IsEmpty;
        int edgeRow = a.InPlace && mc % Mr != 0 ? mc - (mc % Mr) : int.MaxValue;
        if (edgeRow != int.MaxValue && !edgePacked)
            a.PackEdge(edgeRow, mc - edgeRow, kc, edgePanel);
        double sumOfSquares = 0;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            ref T bp = ref Unsafe.Add(ref b0, jr * kc);
            for (int ir = 0; ir < mc; ir += Mr)
            {
                int rows = Math.Min(Mr, mc - ir);
                bool edge = ir == edgeRow;
                ref T ap = ref edge ? ref MemoryMarshal.GetReference(edgePanel) : ref Unsafe.Add(ref a0, ir * a.PanelStride);
                nint rs = edge ? 1 : a.RowStride, cs = edge ? Mr : a.ColStride;
                if (rows == Mr && cols == nr)
                {
                    ref T biasAt = ref addBias ? ref Unsafe.AsRef(in bias[jr]) : ref Unsafe.NullRef<T>();
                    sumOfSquares += Tile<T, TVec, TSimd>(kc, ref ap, rs, cs, ref bp, ref Unsafe.Add(ref c0, (ir * ldc) + jr), ldc, overwrite, addBias, ref biasAt, squares);
                    continue;
                }

                Tile<T, TVec, TSimd>(kc, ref ap, rs, cs, ref bp, ref MemoryMarshal.GetReference(tile), nr, overwrite: true, addBias: false, ref Unsafe.NullRef<T>(), squares: false);
                sumOfSquares += Merge(tile, nr, c.Slice((ir * ldc) + jr), ldc, rows, cols, overwrite, addBias ? bias.Slice(jr, cols) : default, squares);
            }
        }

        return sumOfSquares;
    }

    // Kernel (long by design: the twelve accumulators must be locals for the JIT to keep them in
    // registers). A(r, p) is a[r * rs + p * cs]: (1, Mr) for a packed panel, (lda, 1) or (1, lda)
    // for A read in place. Unsafe refs: the caller checked that A has Mr rows of kc values, the B
    // panel kc * nr, and C Mr rows of nr columns (and the bias nr values) at these origins. With
    // squares, the tile is read back for its sum of squares in double: still in L1, and twelve
    // double accumulators more would not fit beside the twelve of the product.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Tile<T, TVec, TSimd>(int kc, ref T a, nint rs, nint cs, ref T b, ref T c, int ldc, bool overwrite, bool addBias, ref T bias, bool squares)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TSimd : IGemmSimd<TVec, T>
    {
        nuint w = (nuint)TSimd.Width;
        TVec c00 = TSimd.Zero, c01 = TSimd.Zero, c10 = TSimd.Zero, c11 = TSimd.Zero;
        TVec c20 = TSimd.Zero, c21 = TSimd.Zero, c30 = TSimd.Zero, c31 = TSimd.Zero;
        TVec c40 = TSimd.Zero, c41 = TSimd.Zero, c50 = TSimd.Zero, c51 = TSimd.Zero;
        PrefetchTile(ref c, ldc);
        // Rows 0-2 and 3-5 of A from two pointers, so every broadcast is one addressing mode.
        nint rs2 = 2 * rs;
        ref T a0 = ref a;
        ref T a3 = ref Unsafe.Add(ref a, 3 * rs);
        TVec b0, b1, x;
        int p = 0;
        for (; p + 1 < kc; p += 2)
        {
            b0 = TSimd.Load(ref b, 0);
            b1 = TSimd.Load(ref b, w);
            x = TSimd.Broadcast(a0);
            c00 = TSimd.MultiplyAdd(x, b0, c00);
            c01 = TSimd.MultiplyAdd(x, b1, c01);
            x = TSimd.Broadcast(Unsafe.Add(ref a0, rs));
            c10 = TSimd.MultiplyAdd(x, b0, c10);
            c11 = TSimd.MultiplyAdd(x, b1, c11);
            x = TSimd.Broadcast(Unsafe.Add(ref a0, rs2));
            c20 = TSimd.MultiplyAdd(x, b0, c20);
            c21 = TSimd.MultiplyAdd(x, b1, c21);
            x = TSimd.Broadcast(a3);
            c30 = TSimd.MultiplyAdd(x, b0, c30);
            c31 = TSimd.MultiplyAdd(x, b1, c31);
            x = TSimd.Broadcast(Unsafe.Add(ref a3, rs));
            c40 = TSimd.MultiplyAdd(x, b0, c40);
            c41 = TSimd.MultiplyAdd(x, b1, c41);
            x = TSimd.Broadcast(Unsafe.Add(ref a3, rs2));
            c50 = TSimd.MultiplyAdd(x, b0, c50);
            c51 = TSimd.MultiplyAdd(x, b1, c51);
            a0 = ref Unsafe.Add(ref a0, cs);
            a3 = ref Unsafe.Add(ref a3, cs);
            b0 = TSimd.Load(ref b, 2 * w);
            b1 = TSimd.Load(ref b, 3 * w);
            x = TSimd.Broadcast(a0);
            c00 = TSimd.MultiplyAdd(x, b0, c00);
            c01 = TSimd.MultiplyAdd(x, b1, c01);
            x = TSimd.Broadcast(Unsafe.Add(ref a0, rs));
            c10 = TSimd.MultiplyAdd(x, b0, c10);
            c11 = TSimd.MultiplyAdd(x, b1, c11);
            x = TSimd.Broadcast(Unsafe.Add(ref a0, rs2));
            c20 = TSimd.MultiplyAdd(x, b0, c20);
            c21 = TSimd.MultiplyAdd(x, b1, c21);
            x = TSimd.Broadcast(a3);
            c30 = TSimd.MultiplyAdd(x, b0, c30);
            c31 = TSimd.MultiplyAdd(x, b1, c31);
            x = TSimd.Broadcast(Unsafe.Add(ref a3, rs));
            c40 = TSimd.MultiplyAdd(x, b0, c40);
            c41 = TSimd.MultiplyAdd(x, b1, c41);
            x = TSimd.Broadcast(Unsafe.Add(ref a3, rs2));
            c50 = TSimd.MultiplyAdd(x, b0, c50);
            c51 = TSimd.MultiplyAdd(x, b1, c51);
            a0 = ref Unsafe.Add(ref a0, cs);
            a3 = ref Unsafe.Add(ref a3, cs);
            b = ref Unsafe.Add(ref b, 4 * w);
        }

        if (p < kc)
        {
            b0 = TSimd.Load(ref b, 0);
            b1 = TSimd.Load(ref b, w);
            x = TSimd.Broadcast(a0);
            c00 = TSimd.MultiplyAdd(x, b0, c00);
            c01 = TSimd.MultiplyAdd(x, b1, c01);
            x = TSimd.Broadcast(Unsafe.Add(ref a0, rs));
            c10 = TSimd.MultiplyAdd(x, b0, c10);
            c11 = TSimd.MultiplyAdd(x, b1, c11);
            x = TSimd.Broadcast(Unsafe.Add(ref a0, rs2));
            c20 = TSimd.MultiplyAdd(x, b0, c20);
            c21 = TSimd.MultiplyAdd(x, b1, c21);
            x = TSimd.Broadcast(a3);
            c30 = TSimd.MultiplyAdd(x, b0, c30);
            c31 = TSimd.MultiplyAdd(x, b1, c31);
            x = TSimd.Broadcast(Unsafe.Add(ref a3, rs));
            c40 = TSimd.MultiplyAdd(x, b0, c40);
            c41 = TSimd.MultiplyAdd(x, b1, c41);
            x = TSimd.Broadcast(Unsafe.Add(ref a3, rs2));
            c50 = TSimd.MultiplyAdd(x, b0, c50);
            c51 = TSimd.MultiplyAdd(x, b1, c51);
            a0 = ref Unsafe.Add(ref a0, cs);
            a3 = ref Unsafe.Add(ref a3, cs);
        }

        // Zero vectors when there is no bias: twelve adds per tile beside kc x 12 FMAs, and no branch.
        TVec bias0 = addBias ? TSimd.Load(ref bias, 0) : TSimd.Zero;
        TVec bias1 = addBias ? TSimd.Load(ref bias, w) : TSimd.Zero;
        WriteRow<T, TVec, TSimd>(ref c, w, TSimd.Add(c00, bias0), TSimd.Add(c01, bias1), overwrite);
        WriteRow<T, TVec, TSimd>(ref Unsafe.Add(ref c, ldc), w, TSimd.Add(c10, bias0), TSimd.Add(c11, bias1), overwrite);
        WriteRow<T, TVec, TSimd>(ref Unsafe.Add(ref c, 2 * ldc), w, TSimd.Add(c20, bias0), TSimd.Add(c21, bias1), overwrite);
        WriteRow<T, TVec, TSimd>(ref Unsafe.Add(ref c, 3 * ldc), w, TSimd.Add(c30, bias0), TSimd.Add(c31, bias1), overwrite);
        WriteRow<T, TVec, TSimd>(ref Unsafe.Add(ref c, 4 * ldc), w, TSimd.Add(c40, bias0), TSimd.Add(c41, bias1), overwrite);
        WriteRow<T, TVec, TSimd>(ref Unsafe.Add(ref c, 5 * ldc), w, TSimd.Add(c50, bias0), TSimd.Add(c51, bias1), overwrite);
        return squares ? TSimd.SumOfSquares(ref c, ldc, Mr) : 0;
    }

    // The tile of C is written once, after kc steps: asking for its lines now hides the misses of a
    // C too large for the caches behind the FMAs (OpenBLAS's kernels do the same).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchTile<T>(ref T c, int ldc)
        where T : unmanaged
    {
        if (!Sse.IsSupported)
            return;
        for (int r = 0; r < Mr; r++)
        {
            ref T row = ref Unsafe.Add(ref c, r * ldc);
            Sse.Prefetch0(Unsafe.AsPointer(ref row));
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref row, MaxNr / 2)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteRow<T, TVec, TSimd>(ref T c, nuint w, TVec lo, TVec hi, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TSimd : IGemmSimd<TVec, T>
    {
        if (!overwrite)
        {
            lo = TSimd.Add(TSimd.Load(ref c, 0), lo);
            hi = TSimd.Add(TSimd.Load(ref c, w), hi);
        }

        TSimd.Store(lo, ref c, 0);
        TSimd.Store(hi, ref c, w);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Merge<T>(ReadOnlySpan<T> tile, int nr, Span<T> c, int ldc, int rows, int cols, bool overwrite, ReadOnlySpan<T> bias, bool squares)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sumOfSquares = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> source = tile.Slice(r * nr, cols);
            Span<T> target = c.Slice(r * ldc, cols);
            if (overwrite)
                source.CopyTo(target);
            else
                System.Numerics.Tensors.TensorPrimitives.Add(target, source, target);
            if (!bias.IsEmpty)
                System.Numerics.Tensors.TensorPrimitives.Add(target, bias, target);
            if (squares)
                sumOfSquares += Reductions.SumOfSquares<T>(target);
        }

        return sumOfSquares;
    }
}
