using System.Numerics;
using System.Runtime.Intrinsics;
using Gradscope.Tensors;

namespace Gradscope.Tests.Tensors;

public sealed class GemmTests
{
    private static readonly int[] Sizes = [1, 7, 63, 65, 129];

    // Sizes straddle the micro-tile (6 x 2 vectors), Kc = 256, Mc, Nc = 2048 and the parallel
    // threshold (split by rows, then by columns). Vector512 is emulated in software on machines
    // without AVX-512, so shapes run on every path stay moderate.
    // (203, 21, 411) has an A of 333 KB, above the in-place limit, so it is packed.
    private static readonly (int M, int N, int K)[] LargeShapes = [(131, 77, 300), (65, 300, 129), (7, 2100, 5), (13, 33, 700), (203, 21, 411)];

    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int m in Sizes)
        {
            foreach (int n in Sizes)
            {
                foreach (int k in new[] { 1, 65 })
                    data.Add(m, n, k);
            }
        }

        return data;
    }

    public static TheoryData<int, int, int> LargeShapeData()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var (m, n, k) in LargeShapes)
            data.Add(m, n, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryPath_MatchesReference_Float(int m, int n, int k) => CheckAll<float>(m, n, k, 1e-5);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryPath_MatchesReference_Double(int m, int n, int k) => CheckAll<double>(m, n, k, 1e-13);

    [Theory]
    [MemberData(nameof(LargeShapeData))]
    public void EveryPath_MatchesReference_LargeShapes(int m, int n, int k)
    {
        CheckAll<float>(m, n, k, 1e-5);
        CheckAll<double>(m, n, k, 1e-13);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(288, 288)]
    [InlineData(784, 264)]
    [InlineData(2048, 256)]
    [InlineData(300, 152)]
    [InlineData(100_001, 288)]
    public void DepthBlock_SplitsDepthIntoFewEqualBlocks(int k, int expected)
    {
        int kc = GemmKernel.DepthBlock(k);
        Assert.Equal(expected, kc);
        int blocks = (k + kc - 1) / kc;
        Assert.Equal((k + 287) / 288, blocks); // no more blocks than blocks of 288 would need
        // Among a few blocks the last is no sliver (among hundreds a short one costs nothing).
        Assert.True(k - ((blocks - 1) * kc) > kc / 2 || blocks == 1 || blocks > 8, "the last block is not a sliver");
    }

    // The naive oracle is the cost here, so one product, one type.
    [Fact]
    public void DefaultPath_MatchesReference_300x257x511()
    {
        var a = Random<float>(300, 511, 1);
        var b = Random<float>(511, 257, 2);
        var initial = Random<float>(300, 257, 5);
        var paths = new[] { GemmKernel.DefaultPath };
        Check(ReferenceGemm.Multiply(a, false, b, false), initial, 1e-5 * 511, paths, (c, acc) => Gemm.Multiply(a, b, c, acc));
    }

    [Fact]
    public void EveryTailLength_MatchesReference()
    {
        int limit = (3 * Vector<float>.Count) + 1;
        for (int n = 0; n <= limit; n++)
        {
            for (int m = 0; m <= 7; m++)
                CheckAll<float>(m, n, 5, 1e-5, GemmKernel.DefaultPath);
        }
    }

    [Fact]
    public void ZeroDepth_ClearsOrKeepsOutput()
    {
        var c = new Matrix<float>(2, 3);
        c.Span.Fill(5f);
        Gemm.Multiply(new Matrix<float>(2, 0), new Matrix<float>(0, 3), c, accumulate: true);
        Assert.Equal(5f, c[1, 2]);
        Gemm.Multiply(new Matrix<float>(2, 0), new Matrix<float>(0, 3), c);
        Assert.Equal(0f, c[1, 2]);
    }

    [Fact]
    public void DefaultPath_MatchesHardware()
    {
        var expected = Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? GemmPath.Vector512
            : Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported ? GemmPath.Vector256
            : Vector.IsHardwareAccelerated ? GemmPath.Portable : GemmPath.Scalar;
        Assert.Equal(expected, GemmKernel.DefaultPath);
    }

    [Fact]
    public void PathOverride_IsPerThread()
    {
        GemmKernel.PathOverride = GemmPath.Scalar;
        try
        {
            GemmPath other = GemmPath.Scalar;
            var thread = new Thread(() => other = GemmKernel.Path);
            thread.Start();
            thread.Join();
            Assert.Equal(GemmPath.Scalar, GemmKernel.Path);
            Assert.Equal(GemmKernel.DefaultPath, other);
        }
        finally
        {
            GemmKernel.PathOverride = null;
        }
    }

    [Fact]
    public void Accumulate_AddsToExistingValues()
    {
        var a = Random<double>(3, 4, 1);
        var b = Random<double>(4, 5, 2);
        var c = new Matrix<double>(3, 5);
        c.Span.Fill(1.0);
        Gemm.Multiply(a, b, c, accumulate: true);
        var expected = ReferenceGemm.Multiply(a, false, b, false);
        Assert.Equal(expected[2, 4] + 1.0, c[2, 4], 12);
    }

    [Fact]
    public void Affine_WithZeroDepth_IsTheBiasInEveryRow()
    {
        var c = new Matrix<float>(2, 3);
        c.Span.Fill(5f);
        var bias = new Matrix<float>(1, 3);
        bias.Span[2] = 0.5f;
        Gemm.Affine(new Matrix<float>(2, 0), new Matrix<float>(3, 0), bias, c);
        Assert.Equal(0.5f, c[1, 2]);
        Assert.Equal(0f, c[1, 0]);
    }

    [Fact]
    public void Affine_WithBiasOfWrongLength_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Affine(new Matrix<float>(2, 3), new Matrix<float>(4, 3), new Matrix<float>(1, 5), new Matrix<float>(2, 4)));
        Assert.Contains("bias has 5 values but the output has 4 columns", ex.Message);
    }

    [Fact]
    public void MismatchedShapes_Throw()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new Matrix<float>(2, 3), new Matrix<float>(4, 5), new Matrix<float>(2, 5)));
        Assert.Contains("inner sizes 3 and 4", ex.Message);
    }

    // Every product on every path (or only the given ones), against one oracle result per product:
    // once overwriting a C full of other values, once accumulating into it.
    private static void CheckAll<T>(int m, int n, int k, double tolerance, params GemmPath[] paths)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (paths.Length == 0)
            paths = Enum.GetValues<GemmPath>();
        var a = Random<T>(m, k, 1);
        var b = Random<T>(k, n, 2);
        var bt = Random<T>(n, k, 3);
        var at = Random<T>(k, m, 4);
        var initial = Random<T>(m, n, 5);
        double scaled = tolerance * Math.Max(1, k);
        Check(ReferenceGemm.Multiply(a, false, b, false), initial, scaled, paths, (c, acc) => Gemm.Multiply(a, b, c, acc));
        Check(ReferenceGemm.Multiply(a, false, bt, true), initial, scaled, paths, (c, acc) => Gemm.MultiplyTransposeB(a, bt, c, acc));
        Check(ReferenceGemm.Multiply(at, true, b, false), initial, scaled, paths, (c, acc) => Gemm.MultiplyTransposeA(at, b, c, acc));
        CheckAffine(a, bt, initial, scaled, paths);
        CheckSquares(at, b, initial, paths);
    }

    // The weight-gradient product also returns the sum of squares of what it wrote, overwriting or
    // accumulating: it must equal a naive double sum over the result, to double rounding.
    private static void CheckSquares<T>(Matrix<T> at, Matrix<T> b, Matrix<T> initial, GemmPath[] paths)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var path in paths)
        {
            GemmKernel.PathOverride = path;
            try
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    var c = initial.Clone();
                    double squares = Gemm.MultiplyTransposeASquares(at, b, c, accumulate);
                    double expected = NaiveSquares(c);
                    Assert.True(Math.Abs(squares - expected) <= 1e-12 * expected, $"{path} accumulate {accumulate}: {squares} vs {expected}");
                }
            }
            finally
            {
                GemmKernel.PathOverride = null;
            }
        }
    }

    // X W^T + b with the bias folded into the write-back, over a C full of other values.
    private static void CheckAffine<T>(Matrix<T> a, Matrix<T> bt, Matrix<T> initial, double tolerance, GemmPath[] paths)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bias = Random<T>(1, bt.Rows, 6);
        var expected = ReferenceGemm.Multiply(a, false, bt, true);
        for (int r = 0; r < expected.Rows; r++)
        {
            for (int j = 0; j < expected.Cols; j++)
                expected[r, j] += bias.Span[j];
        }

        foreach (var path in paths)
        {
            GemmKernel.PathOverride = path;
            try
            {
                var c = initial.Clone();
                Gemm.Affine(a, bt, bias, c);
                AssertClose(expected, c, tolerance, offset: null, path);
            }
            finally
            {
                GemmKernel.PathOverride = null;
            }
        }
    }

    private static void Check<T>(Matrix<T> expected, Matrix<T> initial, double tolerance, GemmPath[] paths, Action<Matrix<T>, bool> product)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var path in paths)
        {
            GemmKernel.PathOverride = path;
            try
            {
                var c = initial.Clone();
                product(c, false);
                AssertClose(expected, c, tolerance, offset: null, path);
                c = initial.Clone();
                product(c, true);
                AssertClose(expected, c, tolerance, offset: initial, path);
            }
            finally
            {
                GemmKernel.PathOverride = null;
            }
        }
    }

    // Weight gradients of 1e24 and more: their squares overflow float lanes, not the sum in double.
    // The last shape is large enough for the cores to share the product.
    [Theory]
    [InlineData(13, 37, 9)]
    [InlineData(64, 64, 128)]
    [InlineData(160, 160, 128)]
    public void SumOfSquares_OfHugeFiniteFloats_IsFiniteOnEveryPath(int m, int n, int k)
    {
        var at = Random<float>(k, m, 1);
        var b = Random<float>(k, n, 2);
        for (int i = 0; i < at.Length; i++)
            at.Span[i] *= 1e12f;
        for (int i = 0; i < b.Length; i++)
            b.Span[i] *= 1e12f;
        foreach (var path in Enum.GetValues<GemmPath>())
        {
            GemmKernel.PathOverride = path;
            try
            {
                var c = new Matrix<float>(m, n);
                double squares = Gemm.MultiplyTransposeASquares(at, b, c);
                double expected = NaiveSquares(c);
                Assert.True(expected > 1e48 && double.IsFinite(expected), $"{expected}");
                Assert.True(Math.Abs(squares - expected) <= 1e-12 * expected, $"{path}: {squares} vs {expected}");
            }
            finally
            {
                GemmKernel.PathOverride = null;
            }
        }
    }

    private static double NaiveSquares<T>(Matrix<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double squares = 0;
        foreach (var v in c.Span)
            squares += double.CreateTruncating(v) * double.CreateTruncating(v);
        return squares;
    }

    private static Matrix<T> Random<T>(int rows, int cols, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new SeededRandom(seed);
        var m = new Matrix<T>(rows, cols);
        for (int i = 0; i < m.Length; i++)
            m.Span[i] = T.CreateTruncating(rng.NextGaussian());
        return m;
    }

    private static void AssertClose<T>(Matrix<T> expected, Matrix<T> actual, double tolerance, Matrix<T>? offset, GemmPath path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Cols, actual.Cols);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = double.CreateTruncating(expected.Span[i]) + (offset is null ? 0 : double.CreateTruncating(offset.Span[i]));
            double v = double.CreateTruncating(actual.Span[i]);
            if (!(Math.Abs(e - v) <= tolerance * Math.Max(1.0, Math.Abs(e))))
                Assert.Fail($"{path} [{expected.Rows}x{expected.Cols}] element {i}: expected {e}, got {v}");
        }
    }
}
