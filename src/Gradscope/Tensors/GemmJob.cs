using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gradscope.Tensors;

/// <summary>
/// One product's operands, reused per thread so a call allocates nothing, and the blocked loop
/// nest over one part of C. Parts split the larger of C's two dimensions at multiples of the
/// micro-tile, so no part ever shares a tile.
/// </summary>
internal sealed class GemmJob<T> : IParallelJob
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static GemmJob<T>? _current;

    private Matrix<T>? _a;
    private Matrix<T>? _b;
    private Matrix<T>? _c;
    private Matrix<T>? _bias;
    private IGemmEpilogue? _epilogue;
    private bool _transposeA;
    private bool _transposeB;
    private bool _accumulate;
    private bool _squares;
    private bool _useSimd;
    private int _columnShift;

    // Each part's sum of squares of what it wrote; parts own disjoint tiles, so no locking. One
    // cache line per part, so the threads' final writes do not contend for one line.
    private const int PartStride = 64 / sizeof(double);
    private readonly double[] _partSquares = new double[GemmWorkers.MaxParts * PartStride];
    private int _k;
    private GemmPath _path;

    public static GemmJob<T> ForCurrentThread() => _current ??= new GemmJob<T>();

    public void Set(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB, Matrix<T> c, int k, bool accumulate, GemmPath path, Matrix<T>? bias, bool squares, IGemmEpilogue? epilogue)
    {
        _epilogue = epilogue;
        _useSimd = Elementwise.UseSimd;
        _columnShift = ColumnShiftToCacheLine(c); // once: every part must split at the same column
        _squares = squares;
        Array.Clear(_partSquares);
        (_a, _transposeA, _b, _transposeB, _c, _bias) = (a, transposeA, b, transposeB, c, bias);
        (_k, _accumulate, _path) = (k, accumulate, path);
    }

    /// <summary>Sum of squares of C as written, over all parts (0 unless asked for in <see cref="Set"/>).</summary>
    public double SumOfSquares
    {
        get
        {
            double total = 0;
            foreach (double part in _partSquares)
                total += part;
            return total;
        }
    }

    /// <summary>Drops the references so a finished job keeps no matrix alive.</summary>
    public void Reset() => (_a, _b, _c, _bias, _epilogue) = (null, null, null, null, null);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RunPart(int part, int parts)
    {
        // A worker runs the epilogue with the caller's SIMD setting (a per-thread switch in tests).
        if (part > 0 && _epilogue is not null && Elementwise.UseSimd != _useSimd)
            Elementwise.UseSimd = _useSimd;

        int m = _c!.Rows, n = _c.Cols;
        int m0 = 0, m1 = m, n0 = 0, n1 = n;
        if (parts > 1)
        {
            bool byColumns = n >= m;
            int quantum = byColumns ? GemmKernel.NrFor<T>(_path) : GemmMicroKernel.Mr;
            int extent = byColumns ? n : m;
            int chunk = (((extent + parts - 1) / parts) + quantum - 1) / quantum * quantum;
            int shift = byColumns ? _columnShift : 0;
            int start = part == 0 ? 0 : Math.Min(extent, (part * chunk) + shift);
            int end = part == parts - 1 ? extent : Math.Min(extent, ((part + 1) * chunk) + shift);
            if (start >= end)
                return;
            (m0, m1, n0, n1) = byColumns ? (0, m, start, end) : (start, end, 0, n);
        }

        _partSquares[part * PartStride] = _path switch
        {
            GemmPath.Vector512 => Run<Vector512<T>, GemmSimd512<T>>(m0, m1, n0, n1),
            GemmPath.Vector256 => Run<Vector256<T>, GemmSimd256<T>>(m0, m1, n0, n1),
            GemmPath.Portable => Run<Vector<T>, GemmSimdPortable<T>>(m0, m1, n0, n1),
            _ => Run<T, GemmScalar<T>>(m0, m1, n0, n1),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Run<TVec, TSimd>(int m0, int m1, int n0, int n1)
        where TVec : struct
        where TSimd : IGemmSimd<TVec, T>
    {
        int nr = 2 * TSimd.Width;
        // Rows in equal blocks of at most Mc (rounded up to whole micro-panels): 256 rows as 132 + 124,
        // not 126 + 126 + 4, whose last block streams the whole B block again for four rows.
        int mcLimit = GemmKernel.McFor<T>();
        int rowBlocks = Math.Max(1, (m1 - m0 + mcLimit - 1) / mcLimit);
        int mcMax = RoundUp((m1 - m0 + rowBlocks - 1) / rowBlocks, GemmMicroKernel.Mr);
        int kcMax = GemmKernel.DepthBlock(_k);
        int ncMax = Math.Min(GemmKernel.Nc, n1 - n0);
        var buffers = GemmBuffers<T>.ForCurrentThread();
        // Small A is read in place (see GemmOperandA); then the A buffer holds only an edge panel.
        bool aInPlace = (long)(m1 - m0) * _k * Unsafe.SizeOf<T>() <= InPlaceABytes;
        // Buffers sized for the whole product, not this part and whether A is read in place: a
        // product that runs serially (the workers busy with another caller's) then needs no more
        // room than when it ran split, and a steady-state step never grows a buffer.
        Span<T> packedA = buffers.A(Math.Min(mcLimit, RoundUp(_c!.Rows, GemmMicroKernel.Mr)) * kcMax);
        Span<T> packedB = buffers.B(RoundUp(Math.Min(GemmKernel.Nc, _c.Cols), nr) * kcMax);
        ReadOnlySpan<T> a = _a!.Span, b = _b!.Span;
        Span<T> c = _c!.Span;
        ReadOnlySpan<T> bias = _bias is null ? default : _bias.Span;
        int lda = _a.Cols, ldb = _b.Cols, ldc = _c.Cols;
        double sumOfSquares = 0;
        for (int jc = n0; jc < n1; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n1 - jc);
            for (int pc = 0; pc < _k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, _k - pc);
                GemmPacking.PackB(b, ldb, _transposeB, pc, kc, jc, nc, nr, packedB);
                bool overwrite = !_accumulate && pc == 0;
                ReadOnlySpan<T> blockBias = pc == 0 && !bias.IsEmpty ? bias.Slice(jc, nc) : default;
                for (int ic = m0; ic < m1; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m1 - ic);
                    GemmOperandA<T> operand;
                    if (aInPlace)
                    {
                        operand = GemmOperandA<T>.InPlaceAt(a, lda, _transposeA, ic, pc);
                    }
                    else
                    {
                        GemmPacking.PackA(a, lda, _transposeA, ic, mc, pc, kc, packedA);
                        operand = GemmOperandA<T>.Packed(packedA, kc);
                    }

                    bool lastDepth = pc + kc >= _k;
                    sumOfSquares += GemmMicroKernel.Block<T, TVec, TSimd>(mc, nc, kc, operand, packedA, packedB, c.Slice((ic * ldc) + jc), ldc, overwrite, blockBias, _squares && lastDepth);
                    if (lastDepth)
                        _epilogue?.Apply(ic, mc, jc, nc);
                }
            }
        }

        return sumOfSquares;
    }

    // Columns to move a split between parts by so that it falls on a cache-line boundary of every
    // row of C (when rows are whole lines apart): otherwise the line holding the boundary is
    // written by both threads in every row, and the line bounces between cores. With C's rows
    // misaligned by the allocator, that made one small-network run in three 1.8x slower.
    private static unsafe int ColumnShiftToCacheLine(Matrix<T> c)
    {
        const int line = 64;
        if (c.Cols * sizeof(T) % line != 0)
            return 0;
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(c.Span));
        int misaligned = (int)(address & (line - 1));
        return misaligned == 0 ? 0 : (line - misaligned) / sizeof(T);
    }

    /// <summary>Operands A up to this size are read in place rather than packed (half of a 512 KiB L2).</summary>
    private const long InPlaceABytes = 256 * 1024;

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
