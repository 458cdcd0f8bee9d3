using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Gradscope.Tensors;

/// <summary>
/// One product's operands, reused per thread so a call allocates nothing, and the blocked loop
/// nest over C: run by one thread here, or shared by all cores (GemmJob.Parallel.cs).
/// </summary>
internal sealed partial class GemmJob<T> : IParallelJob
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
    private double _serialSquares;
    private int _k;
    private GemmPath _path;

    public static GemmJob<T> ForCurrentThread() => _current ??= new GemmJob<T>();

    public void Set(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB, Matrix<T> c, int k, bool accumulate, GemmPath path, Matrix<T>? bias, bool squares, IGemmEpilogue? epilogue)
    {
        _epilogue = epilogue;
        _useSimd = Elementwise.UseSimd;
        _squares = squares;
        _serialSquares = 0;
        _unitSlots = 0;
        _prepared = false;
        (_a, _transposeA, _b, _transposeB, _c, _bias) = (a, transposeA, b, transposeB, c, bias);
        (_k, _accumulate, _path) = (k, accumulate, path);
    }

    /// <summary>
    /// Sum of squares of C as written (0 unless asked for in <see cref="Set"/>). A shared run sums
    /// its units' values in unit order, so the result does not depend on which thread ran which.
    /// </summary>
    public double SumOfSquares
    {
        get
        {
            double total = _serialSquares;
            for (int i = 0; i < _unitSlots; i++)
                total += _unitSquares[i];
            return total;
        }
    }

    /// <summary>Drops the references so a finished job keeps no matrix alive.</summary>
    public void Reset() => (_a, _b, _c, _bias, _epilogue) = (null, null, null, null, null);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RunPart(int part, int parts)
    {
        if (parts == 1)
        {
            _serialSquares = _path switch
            {
                GemmPath.Vector512 => Run<Vector512<T>, GemmSimd512<T>>(),
                GemmPath.Vector256 => Run<Vector256<T>, GemmSimd256<T>>(),
                GemmPath.Portable => Run<Vector<T>, GemmSimdPortable<T>>(),
                _ => Run<T, GemmScalar<T>>(),
            };
            return;
        }

        // A worker runs with the caller's SIMD setting (a per-thread switch in tests), for the
        // epilogue and for the sums of squares of edge tiles: a setting left behind by an earlier
        // caller's product made a shared gradient norm differ from the serial one in the last bits.
        if (part > 0 && Elementwise.UseSimd != _useSimd)
            Elementwise.UseSimd = _useSimd;
        switch (_path)
        {
            case GemmPath.Vector512:
                RunShared<Vector512<T>, GemmSimd512<T>>(part, parts);
                break;
            case GemmPath.Vector256:
                RunShared<Vector256<T>, GemmSimd256<T>>(part, parts);
                break;
            case GemmPath.Portable:
                RunShared<Vector<T>, GemmSimdPortable<T>>(part, parts);
                break;
            default:
                RunShared<T, GemmScalar<T>>(part, parts);
                break;
        }
    }

    /// <summary>Block sizes for a product: rows, depth and columns of a cache block.</summary>
    private (int Mc, int Kc, int Nc) Blocking()
    {
        // Rows in equal blocks of at most Mc (rounded up to whole micro-panels): with floats, 256 rows
        // as 90 + 90 + 76, not 126 + 126 + 4, whose last block streams the whole B block for four rows.
        int m = _c!.Rows;
        int mcLimit = GemmKernel.McFor<T>();
        int rowBlocks = Math.Max(1, (m + mcLimit - 1) / mcLimit);
        int mc = RoundUp((m + rowBlocks - 1) / rowBlocks, GemmMicroKernel.Mr);
        return (mc, GemmKernel.DepthBlock(_k), Math.Min(GemmKernel.Nc, _c.Cols));
    }

    /// <summary>Small A is read in place (see GemmOperandA); then the A buffer holds only an edge panel.</summary>
    private bool AInPlace => (long)_c!.Rows * _k * Unsafe.SizeOf<T>() <= InPlaceABytes;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Run<TVec, TSimd>()
        where TVec : struct
        where TSimd : IGemmSimd<TVec, T>
    {
        int nr = 2 * TSimd.Width;
        int m = _c!.Rows, n = _c.Cols;
        var (mcMax, kcMax, ncMax) = Blocking();
        bool aInPlace = AInPlace;
        // Sized whether or not A is read in place, so no later product of this shape grows them.
        var buffers = GemmBuffers<T>.ForCurrentThread();
        Span<T> packedA = buffers.A(mcMax * kcMax);
        Span<T> packedB = buffers.B(RoundUp(ncMax, nr) * kcMax);
        ReadOnlySpan<T> a = _a!.Span, b = _b!.Span;
        Span<T> c = _c!.Span;
        ReadOnlySpan<T> bias = _bias is null ? default : _bias.Span;
        int lda = _a.Cols, ldb = _b.Cols, ldc = _c.Cols;
        double sumOfSquares = 0;
        for (int jc = 0; jc < n; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n - jc);
            for (int pc = 0; pc < _k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, _k - pc);
                GemmPacking.PackB(b, ldb, _transposeB, pc, kc, jc, nc, nr, packedB);
                bool overwrite = !_accumulate && pc == 0;
                ReadOnlySpan<T> blockBias = pc == 0 && !bias.IsEmpty ? bias.Slice(jc, nc) : default;
                for (int ic = 0; ic < m; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m - ic);
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
                    if (_squares && lastDepth)
                        sumOfSquares = SquaresByUnits<TVec, TSimd>(sumOfSquares, mc, new BlockOrigin(jc, nc, kc, overwrite, LastDepth: true), operand, packedA, packedB, c.Slice((ic * ldc) + jc), ldc, blockBias);
                    else
                        GemmMicroKernel.Block<T, TVec, TSimd>(mc, nc, kc, operand, packedA, edgePacked: false, packedB, c.Slice((ic * ldc) + jc), ldc, overwrite, blockBias, squares: false);
                    if (lastDepth)
                        _epilogue?.Apply(ic, mc, jc, nc);
                }
            }
        }

        return sumOfSquares;
    }

    // The last depth block of a product that returns its sum of squares, run unit by unit as a
    // shared product runs it (same units, same order of addition): the sum is then the same to
    // the last bit whether the product ran shared or, with the workers busy, on this thread alone.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SquaresByUnits<TVec, TSimd>(double sumOfSquares, int mc, BlockOrigin at, GemmOperandA<T> operand, Span<T> edgePanel, Span<T> packedB, Span<T> c, int ldc, ReadOnlySpan<T> blockBias)
        where TVec : struct
        where TSimd : IGemmSimd<TVec, T>
    {
        const int mr = GemmMicroKernel.Mr;
        if (operand.InPlace && mc % mr != 0)
            operand.PackEdge(mc - (mc % mr), mc % mr, at.Kc, edgePanel); // once, not once per unit
        var grid = UnitGrid(mc, at.Nc, at.Kc, 2 * TSimd.Width);
        for (int unit = 0; unit < grid.Units; unit++)
            sumOfSquares += RunUnit<TVec, TSimd>(grid, unit, mc, at, operand, edgePanel, packedB, c, ldc, blockBias, squares: true);

        return sumOfSquares;
    }

    /// <summary>Operands A up to this size are read in place rather than packed (half of a 512 KiB L2).</summary>
    private const long InPlaceABytes = 256 * 1024;

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
