using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradscope.Tensors;

/// <summary>Which micro-kernel the packed GEMM runs.</summary>
internal enum GemmPath
{
    /// <summary>One lane at a time; the path when <see cref="Elementwise.UseSimd"/> is false.</summary>
    Scalar,

    /// <summary><see cref="Vector{T}"/> of the machine's width, multiply then add.</summary>
    Portable,

    /// <summary>AVX2 with FMA.</summary>
    Vector256,

    /// <summary>AVX-512 with FMA.</summary>
    Vector512,
}

/// <summary>
/// The packed, cache-blocked GEMM behind <see cref="Gemm"/> (BLIS/GotoBLAS loop nest):
/// <c>C[m, n] (+)= op(A)[m, k] op(B)[k, n]</c>. Five loops around the micro-kernel: columns of C in
/// blocks of <see cref="Nc"/> (B block in L3), depth in blocks of <see cref="Kc"/> (B packed once
/// per block), rows in blocks of Mc (A block in L2), then micro-panels. Large products are shared
/// by the cores through <see cref="GemmWorkers"/>: the threads pack each block together and take
/// its work units from a queue. Every tile of C is computed from the same blocks in the same order
/// whoever computes it, so results do not depend on the thread count.
/// </summary>
internal static class GemmKernel
{
    /// <summary>Depth of a cache block: a B micro-panel of Kc x 2 vectors stays within half of L1.</summary>
    public const int Kc = 256;

    /// <summary>
    /// Depth of the cache blocks for a product of depth <paramref name="k"/>: equal blocks of at
    /// most Kc + Kc/8, a multiple of 8. A depth of 784 (an MNIST input) runs as 264, 264, 256
    /// instead of 256, 256, 256 and 16: a block of 16 pays a full write-back pass over C and a
    /// packing pass for little arithmetic.
    /// </summary>
    public static int DepthBlock(int k)
    {
        const int largest = MaxDepthBlock;
        if (k <= largest)
            return k;
        int blocks = (k + largest - 1) / largest;
        int depth = (k + blocks - 1) / blocks;
        return (depth + 7) / 8 * 8;
    }

    /// <summary>The deepest cache block <see cref="DepthBlock"/> returns.</summary>
    public const int MaxDepthBlock = Kc + (Kc / 8);

    /// <summary>Columns of a B block (Kc x Nc, 2 MiB of floats) sized for a share of L3.</summary>
    public const int Nc = 2048;

    /// <summary>
    /// Products of at least this many multiply-adds run on all cores. Below it, splitting does not
    /// pay on average: with the threads spinning, 128x64x64 products (256K multiply-adds) split
    /// over two cores made 20x64 networks' steps 1.0 ms in some runs but 1.9 ms in others (half of
    /// ten runs on this 2-vCPU machine, every kernel uniformly slower, presumably the two vCPUs
    /// sharing a physical core), a mean of 1.49 ms against 1.33 ms serial.
    /// </summary>
    public const long ParallelThreshold = 1L << 21;

    /// <summary>The fastest path this machine supports, chosen once at start.</summary>
    public static GemmPath DefaultPath { get; } = Detect();

    [ThreadStatic]
    private static GemmPath? _pathOverride;

    /// <summary>
    /// The path used when SIMD is on. Setting it affects only products started on the calling
    /// thread (tests run every path on one machine without disturbing tests running in parallel);
    /// null restores <see cref="DefaultPath"/>.
    /// </summary>
    public static GemmPath? PathOverride
    {
        get => _pathOverride;
        set => _pathOverride = value;
    }

    /// <summary>The path used when SIMD is on: the override, else <see cref="DefaultPath"/>.</summary>
    public static GemmPath Path => _pathOverride ?? DefaultPath;

    /// <summary>The path the next product runs: <see cref="Path"/>, or scalar when SIMD is off.</summary>
    public static GemmPath ActivePath => Elementwise.UseSimd ? Path : GemmPath.Scalar;

    /// <summary>
    /// C (+)= op(A) op(B) with shapes already validated: C is [m, n], op(A) is [m, k], op(B) is
    /// [k, n]; <paramref name="transposeA"/> means A is stored [k, m], <paramref name="transposeB"/>
    /// that B is stored [n, k]. A <paramref name="bias"/> of n values is added to every row of C.
    /// With <paramref name="squares"/>, returns the sum of squares of C as written (else 0). An
    /// <paramref name="epilogue"/> is handed each block of C once its values are final.
    /// </summary>
    public static double Multiply<T>(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB, Matrix<T> c, int k, bool accumulate, Matrix<T>? bias = null, bool squares = false, IGemmEpilogue? epilogue = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (c.Rows == 0 || c.Cols == 0)
            return 0;
        if (k == 0)
        {
            if (!accumulate)
                c.Clear();
            if (bias is not null)
                AddBias(c, bias);
            epilogue?.Apply(0, c.Rows, 0, c.Cols);
            return squares ? Reductions.SumOfSquares<T>(c.Span) : 0;
        }

        var job = GemmJob<T>.ForCurrentThread();
        job.Set(a, transposeA, b, transposeB, c, k, accumulate, ActivePath, bias, squares, epilogue);
        try
        {
            bool large = (long)c.Rows * c.Cols * k >= ParallelThreshold;
            if (large)
                job.PrepareShared(); // also when the workers turn out busy: buffers sized the same either way
            if (!large || !GemmWorkers.TryRun(job))
                job.RunPart(0, 1);
            return job.SumOfSquares;
        }
        finally
        {
            job.Reset();
        }
    }

    private static void AddBias<T>(Matrix<T> c, Matrix<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < c.Rows; r++)
            System.Numerics.Tensors.TensorPrimitives.Add(c.Row(r), bias.Span, c.Row(r));
    }

    /// <summary>Rows of an A block: about 128 KiB of packed A, a safe share of any L2 (256 KiB measured no faster on Zen 3).</summary>
    public static int McFor<T>()
        where T : unmanaged => 128 * 1024 / (Kc * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()) / GemmMicroKernel.Mr * GemmMicroKernel.Mr;

    /// <summary>Columns per micro-tile on <paramref name="path"/>: two vectors.</summary>
    public static int NrFor<T>(GemmPath path)
        where T : unmanaged, IFloatingPointIeee754<T> => path switch
        {
            GemmPath.Vector512 => 2 * Vector512<T>.Count,
            GemmPath.Vector256 => 2 * Vector256<T>.Count,
            GemmPath.Portable => 2 * Vector<T>.Count,
            _ => 2,
        };

    private static GemmPath Detect()
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
            return GemmPath.Vector512;
        if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
            return GemmPath.Vector256;
        return Vector.IsHardwareAccelerated ? GemmPath.Portable : GemmPath.Scalar;
    }
}
