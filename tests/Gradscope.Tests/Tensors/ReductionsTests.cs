using System.Numerics;
using Gradscope.Activations;
using Gradscope.Tensors;

namespace Gradscope.Tests.Tensors;

public sealed class ReductionsTests
{
    [Fact]
    public void SumAndSquares_SimdMatchesScalar_ForEveryTailLength()
    {
        int limit = (3 * Vector<float>.Count) + 1;
        for (int n = 0; n <= limit; n++)
        {
            var values = Random(n, seed: n);
            var (sum, squares) = WithSimd(true, () => Reductions.SumAndSquares<float>(values));
            double expectedSum = values.Sum(v => (double)v);
            double expectedSquares = values.Sum(v => (double)v * v);
            Assert.True(Math.Abs(expectedSum - sum) <= 1e-5 * Math.Max(1, expectedSquares), $"sum, length {n}");
            Assert.True(Math.Abs(expectedSquares - squares) <= 1e-6 * Math.Max(1, expectedSquares), $"squares, length {n}");
            Assert.Equal(expectedSquares, WithSimd(false, () => Reductions.SumOfSquares<float>(values)), 10);
        }
    }

    // The bias gradient: the same bits as adding one row at a time, every column count around the
    // four-vector and one-vector chunks, written over or added to, on both paths.
    [Fact]
    public void SumRows_EqualsAddingOneRowAtATime_BitForBit()
    {
        int w = Vector<float>.Count;
        foreach (bool simd in new[] { true, false })
        {
            for (int cols = 1; cols <= (5 * w) + 3; cols++)
            {
                foreach (int rows in new[] { 0, 1, 2, 7 })
                {
                    var matrix = Random(rows * cols, seed: (cols * 10) + rows);
                    foreach (bool accumulate in new[] { false, true })
                    {
                        var start = Random(cols, seed: cols + 1000);
                        var expected = (float[])start.Clone();
                        if (!accumulate)
                            Array.Clear(expected);
                        for (int r = 0; r < rows; r++)
                        {
                            for (int c = 0; c < cols; c++)
                                expected[c] = (r == 0 && !accumulate) ? matrix[c] : expected[c] + matrix[(r * cols) + c];
                        }

                        var sums = (float[])start.Clone();
                        WithSimd(simd, () =>
                        {
                            Reductions.SumRows<float>(matrix, cols, sums, accumulate);
                            return 0;
                        });
                        Assert.Equal(expected, sums);
                    }
                }
            }
        }
    }

    [Fact]
    public void SumRows_RejectsMismatchedShapes()
    {
        Assert.Throws<ArgumentException>(() => Reductions.SumRows<float>(new float[6], 4, new float[4], accumulate: false));
        Assert.Throws<ArgumentException>(() => Reductions.SumRows<float>(new float[8], 4, new float[3], accumulate: false));
        Assert.Throws<ArgumentException>(() => Reductions.SumRows<float>(new float[8], 0, Array.Empty<float>(), accumulate: true));
    }

    [Fact]
    public void SumAndSquares_OfALargeFloatArray_KeepsDoubleLevelAccuracy()
    {
        // A plain float accumulator would stall near 2^24 ulps; double lanes stay near 1e-16 per addition.
        var values = new float[1_000_003];
        Array.Fill(values, 0.1f);
        double expected = 1_000_003 * (double)0.1f * 0.1f;
        double actual = Reductions.SumOfSquares<float>(values);
        Assert.True(Math.Abs(actual - expected) < 1e-10 * expected, $"{actual} vs {expected}");
    }

    [Fact]
    public void SquaredDistance_MatchesScalar_ForEveryTailLength()
    {
        int limit = (3 * Vector<double>.Count) + 1;
        for (int n = 0; n <= limit; n++)
        {
            var a = Random(n, 1).Select(v => (double)v).ToArray();
            var b = Random(n, 2).Select(v => (double)v).ToArray();
            double expected = a.Zip(b, (x, y) => (x - y) * (x - y)).Sum();
            Assert.Equal(expected, WithSimd(true, () => Reductions.SquaredDistance<double>(a, b)), 12);
            Assert.Equal(expected, WithSimd(false, () => Reductions.SquaredDistance<double>(a, b)), 12);
        }
    }

    [Fact]
    public void CountNonFinite_CountsNaNAndInfinitySeparately()
    {
        float[] values = [1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, float.NaN];
        Assert.Equal((2, 2), Reductions.CountNonFinite<float>(values));
    }

    // 11 units: partial vectors; 16 and 64: the whole-vector loop, over a few rows and over 70.
    [Theory]
    [InlineData(true, 3, 11)]
    [InlineData(false, 3, 11)]
    [InlineData(true, 3, 16)]
    [InlineData(true, 70, 64)]
    [InlineData(false, 70, 64)]
    public void CountBelow_CountsSaturatedPairsAndMarksLiveUnits(bool simd, int rows, int cols)
    {
        // ReLU pre-activations: unit u is alive when any row has x > 0; only row 1 does, for u % 3 != 0.
        var x = new float[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
                x[(r * cols) + c] = c % 3 == 0 ? -1f : (r == 1 ? 2f : -0.5f);
        }

        var y = x.Select(v => Math.Max(v, 0f)).ToArray();
        var alive = new float[cols];
        var stats = WithSimd(simd, () => Reductions.CountBelow<float, Relu>(x, y, cols, 0.01f, alive));
        long count = stats.Saturated;
        Assert.Equal(y.Sum(v => (double)v), stats.Sum, 5);
        Assert.Equal(y.Sum(v => (double)v * v), stats.SumOfSquares, 5);
        int deadUnits = Enumerable.Range(0, cols).Count(c => c % 3 == 0);
        Assert.Equal((rows * deadUnits) + ((rows - 1) * (cols - deadUnits)), count);
        for (int c = 0; c < cols; c++)
            Assert.Equal(c % 3 == 0 ? 0f : 1f, alive[c]);
    }

    private static float[] Random(int n, int seed)
    {
        var rng = new SeededRandom(seed);
        var values = new float[n];
        for (int i = 0; i < n; i++)
            values[i] = (float)rng.NextGaussian();
        return values;
    }

    private static TResult WithSimd<TResult>(bool simd, Func<TResult> body)
    {
        bool saved = Elementwise.UseSimd;
        Elementwise.UseSimd = simd && Vector.IsHardwareAccelerated;
        try
        {
            return body();
        }
        finally
        {
            Elementwise.UseSimd = saved;
        }
    }
}
