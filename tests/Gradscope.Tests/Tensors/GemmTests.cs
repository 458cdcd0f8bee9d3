using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Tests.Tensors;

public sealed class GemmTests
{
    private static readonly int[] Sizes = [1, 7, 63, 65, 129];

    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int m in Sizes)
        {
            foreach (int n in Sizes)
            {
                foreach (int k in new[] { 1, 33, 65 })
                    data.Add(m, n, k);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AllProducts_MatchReference_Float(int m, int n, int k)
    {
        CheckAll<float>(m, n, k, simd: true, 1e-4);
        CheckAll<float>(m, n, k, simd: false, 1e-4);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AllProducts_MatchReference_Double(int m, int n, int k)
    {
        CheckAll<double>(m, n, k, simd: true, 1e-12);
        CheckAll<double>(m, n, k, simd: false, 1e-12);
    }

    [Fact]
    public void EveryTailLength_MatchesReference()
    {
        int limit = (3 * Vector<float>.Count) + 1;
        for (int n = 0; n <= limit; n++)
        {
            for (int m = 0; m <= 6; m++)
                CheckAll<float>(m, n, 5, simd: true, 1e-5);
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
    public void MismatchedShapes_Throw()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new Matrix<float>(2, 3), new Matrix<float>(4, 5), new Matrix<float>(2, 5)));
        Assert.Contains("inner sizes 3 and 4", ex.Message);
    }

    private static void CheckAll<T>(int m, int n, int k, bool simd, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool saved = Elementwise.UseSimd;
        Elementwise.UseSimd = simd && Vector.IsHardwareAccelerated;
        try
        {
            var a = Random<T>(m, k, 1);
            var b = Random<T>(k, n, 2);
            var bt = Random<T>(n, k, 3);
            var at = Random<T>(k, m, 4);

            var c = new Matrix<T>(m, n);
            Gemm.Multiply(a, b, c);
            AssertClose(ReferenceGemm.Multiply(a, false, b, false), c, tolerance);

            Gemm.MultiplyTransposeB(a, bt, c);
            AssertClose(ReferenceGemm.Multiply(a, false, bt, true), c, tolerance);

            Gemm.MultiplyTransposeA(at, b, c);
            AssertClose(ReferenceGemm.Multiply(at, true, b, false), c, tolerance);
        }
        finally
        {
            Elementwise.UseSimd = saved;
        }
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

    private static void AssertClose<T>(Matrix<T> expected, Matrix<T> actual, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Cols, actual.Cols);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = double.CreateTruncating(expected.Span[i]);
            double v = double.CreateTruncating(actual.Span[i]);
            Assert.True(Math.Abs(e - v) <= tolerance * Math.Max(1.0, Math.Abs(e)), $"element {i}: expected {e}, got {v}");
        }
    }
}
