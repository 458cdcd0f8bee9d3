using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Tests.Tensors;

/// <summary>
/// The product shared by all cores (packing split between the parts, units taken from a queue)
/// against the same product run by one thread. Both compute every tile of C from the same blocks
/// in the same order, so C must be equal bit for bit, whichever thread ran which unit; so must the
/// sum of squares, which both add up unit by unit in one order.
/// </summary>
public sealed class SharedGemmTests
{
    // Each shape is above the parallel threshold and reaches one corner of the shared loop nest:
    // A read in place with a partial micro-panel (70 % 6 = 4) over three depth blocks; packed A in
    // three row blocks with a partial panel; columns beyond one B block (Nc = 2048); a C narrower
    // than a micro-tile (units split rows), and a single column; few rows (m < Mr).
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 70, 90, 700 },
        { 301, 64, 300 },
        { 9, 2100, 150 },
        { 1000, 10, 300 },
        { 2500, 1, 1000 },
        { 5, 700, 700 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SharedProduct_EqualsSerialProduct_Float(int m, int n, int k) => CheckAllProducts<float>(m, n, k);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SharedProduct_EqualsSerialProduct_Double(int m, int n, int k) => CheckAllProducts<double>(m, n, k);

    [Theory]
    [InlineData("Vector512")] // emulated in software without AVX-512
    [InlineData("Vector256")]
    [InlineData("Portable")]
    [InlineData("Scalar")]
    public void SharedProduct_EqualsSerialProduct_OnOtherPaths(string path)
    {
        GemmKernel.PathOverride = Enum.Parse<GemmPath>(path);
        try
        {
            CheckAllProducts<float>(70, 90, 700);
            CheckAllProducts<double>(301, 64, 300);
        }
        finally
        {
            GemmKernel.PathOverride = null;
        }
    }

    [Fact]
    public void SharedProduct_EqualsReference()
    {
        var a = Random<double>(301, 300, 1);
        var b = Random<double>(64, 300, 2);
        var c = new Matrix<double>(301, 64);
        Gemm.MultiplyTransposeB(a, b, c);
        var expected = ReferenceGemm.Multiply(a, false, b, true);
        for (int i = 0; i < c.Length; i++)
            Assert.Equal(expected.Span[i], c.Span[i], 1e-10);
    }

    [Fact]
    public void SumOfSquares_IsTheSameOnEveryRun()
    {
        var a = Random<float>(256, 784, 1);
        var b = Random<float>(256, 512, 2);
        var c = new Matrix<float>(784, 512);
        double first = Gemm.MultiplyTransposeASquares(a, b, c);
        for (int run = 0; run < 20; run++)
            Assert.Equal(first, Gemm.MultiplyTransposeASquares(a, b, c));
        Assert.Equal(Reductions.SumOfSquares<float>(c.Span), first, first * 1e-12); // both square and add in double
    }

    [Fact]
    public void SumOfSquares_IsTheSame_WhenConcurrentCallersFallBackToSerial()
    {
        // Three callers compete for the workers: each product runs shared or, when another holds
        // the workers, serially; the gradient norm must not depend on which.
        var a = Random<float>(128, 300, 1);
        var b = Random<float>(128, 200, 2);
        var reference = new Matrix<float>(300, 200);
        double expected = Gemm.MultiplyTransposeASquares(a, b, reference);
        var mismatches = new int[3];
        var threads = new Thread[mismatches.Length];
        for (int t = 0; t < threads.Length; t++)
        {
            int id = t;
            threads[t] = new Thread(() =>
            {
                var c = new Matrix<float>(300, 200);
                for (int round = 0; round < 40; round++)
                {
                    if (Gemm.MultiplyTransposeASquares(a, b, c) != expected || !c.Span.SequenceEqual(reference.Span))
                        mismatches[id]++;
                }
            });
            threads[t].Start();
        }

        foreach (var thread in threads)
            thread.Join();
        Assert.All(mismatches, count => Assert.Equal(0, count));
    }

    [Fact]
    public void Workers_TakeTheCallersSimdSetting_ForEveryProduct()
    {
        // A scalar-path product with an epilogue switches the workers to scalar; the next product,
        // from a SIMD caller, must not inherit that (edge tiles' sums of squares would round differently).
        var a = Random<float>(70, 700, 1);
        var b = Random<float>(90, 700, 2);
        var bias = Random<float>(1, 90, 3);
        Elementwise.UseSimd = false;
        try
        {
            Gemm.Affine(a, b, bias, new Matrix<float>(70, 90), new CoverageEpilogue(70, 90));
        }
        finally
        {
            Elementwise.UseSimd = Vector.IsHardwareAccelerated;
        }

        var initial = Random<float>(70, 90, 4);
        var at = Random<float>(700, 70, 5);
        var bn = Random<float>(700, 90, 6);
        CompareSquares(initial, c => Gemm.MultiplyTransposeASquares(at, bn, c));
    }

    [Fact]
    public void EpilogueThatFails_FailsTheProduct_AndTheNextProductRuns()
    {
        var a = Random<float>(200, 300, 1);
        var b = Random<float>(256, 300, 2);
        var bias = Random<float>(1, 256, 3);
        var c = new Matrix<float>(200, 256);
        Assert.True(200L * 256 * 300 >= GemmKernel.ParallelThreshold);
        Assert.ThrowsAny<Exception>(() => Gemm.Affine(a, b, bias, c, new FailingEpilogue()));

        var expected = new Matrix<float>(200, 256);
        Serially(() => Gemm.Affine(a, b, bias, expected));

        Gemm.Affine(a, b, bias, c);
        Assert.True(expected.Span.SequenceEqual(c.Span));
    }

    private sealed class FailingEpilogue : IGemmEpilogue
    {
        public void Apply(int row0, int rows, int col0, int cols) => throw new InvalidOperationException("epilogue failed");
    }

    // All three products (and the affine one with a counting epilogue), overwriting and
    // accumulating, shared and serial.
    private static void CheckAllProducts<T>(int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.True((long)m * n * k >= GemmKernel.ParallelThreshold, "the shape must be shared");
        var a = Random<T>(m, k, 1);
        var at = Random<T>(k, m, 2);
        var b = Random<T>(k, n, 3);
        var bt = Random<T>(n, k, 4);
        var bias = Random<T>(1, n, 5);
        var initial = Random<T>(m, n, 6);
        foreach (bool accumulate in new[] { false, true })
        {
            Compare(initial, c => Gemm.Multiply(a, b, c, accumulate));
            Compare(initial, c => Gemm.MultiplyTransposeB(a, bt, c, accumulate));
            Compare(initial, c => Gemm.MultiplyTransposeA(at, b, c, accumulate));
            CompareSquares(initial, c => Gemm.MultiplyTransposeASquares(at, b, c, accumulate));
        }

        Compare(initial, c =>
        {
            var covered = new CoverageEpilogue(m, n);
            Gemm.Affine(a, bt, bias, c, covered);
            covered.AssertEveryValueOnce();
        });
    }

    private static void Compare<T>(Matrix<T> initial, Action<Matrix<T>> product)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var serial = initial.Clone();
        Serially(() => product(serial));

        for (int run = 0; run < 3; run++)
        {
            var shared = initial.Clone();
            product(shared);
            Assert.True(serial.Span.SequenceEqual(shared.Span), "the shared product differs from the serial one");
        }
    }

    private static void CompareSquares<T>(Matrix<T> initial, Func<Matrix<T>, double> product)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var serial = initial.Clone();
        double serialSquares = 0;
        Serially(() => serialSquares = product(serial));

        var shared = initial.Clone();
        double sharedSquares = product(shared);
        Assert.True(serial.Span.SequenceEqual(shared.Span));
        Assert.Equal(serialSquares, sharedSquares); // to the last bit: the same units added in the same order
        shared = initial.Clone();
        Assert.Equal(sharedSquares, product(shared));
    }

    // Runs body with every product on this thread alone, as when another caller holds the workers.
    private static void Serially(Action body)
    {
        GemmWorkers.SerialOnly = true;
        try
        {
            body();
        }
        finally
        {
            GemmWorkers.SerialOnly = false;
        }
    }

    // Counts how often each value of C is handed to the epilogue: exactly once each.
    private sealed class CoverageEpilogue(int height, int width) : IGemmEpilogue
    {
        private readonly int[] _count = new int[height * width];

        public void Apply(int row0, int rows, int col0, int cols)
        {
            for (int r = row0; r < row0 + rows; r++)
            {
                for (int j = col0; j < col0 + cols; j++)
                    Interlocked.Increment(ref _count[(r * width) + j]);
            }
        }

        public void AssertEveryValueOnce() => Assert.All(_count, count => Assert.Equal(1, count));
    }

    private static Matrix<T> Random<T>(int rows, int cols, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = new Matrix<T>(rows, cols);
        var rng = new Random(seed);
        for (int i = 0; i < m.Length; i++)
            m.Span[i] = T.CreateTruncating(rng.NextDouble() - 0.5);
        return m;
    }
}
