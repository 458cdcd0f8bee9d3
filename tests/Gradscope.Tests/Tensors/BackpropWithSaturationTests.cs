using Gradscope.Activations;
using Gradscope.Tensors;

namespace Gradscope.Tests.Tensors;

public sealed class BackpropWithSaturationTests
{
    // 64 and 16 units take the fused whole-vector loop; 11 the fallback of two passes. Both must equal the separate backward pass and saturation count.
    [Theory]
    [InlineData(70, 64)]
    [InlineData(5, 16)]
    [InlineData(9, 11)]
    public void Fused_EqualsBackpropThenCountBelow_Float(int rows, int cols)
    {
        var (x, y, g) = Data(rows, cols);
        var expectedDelta = new float[x.Length];
        var expectedAlive = new float[cols];
        double expectedSquares = Elementwise.BackpropSumOfSquares<float, Sigmoid>(x, y, g, expectedDelta);
        var expectedStats = Reductions.CountBelow<float, Sigmoid>(x, y, cols, 0.2f, expectedAlive);

        var delta = new float[x.Length];
        var alive = new float[cols];
        double squares = BackpropWithSaturation.Run<float, Sigmoid>(x, y, g, delta, cols, 0.2f, alive, out var stats);

        Assert.Equal(expectedDelta, delta);
        Assert.Equal(expectedAlive, alive);
        Assert.Equal(expectedStats.Saturated, stats.Saturated);
        Assert.True(stats.Saturated > 0 && stats.Saturated < x.Length, $"saturated {stats.Saturated}");
        Assert.Equal(expectedStats.Sum, stats.Sum, 3);
        Assert.Equal(expectedStats.SumOfSquares, stats.SumOfSquares, 3);
        Assert.Equal(expectedSquares, squares, 3);
    }

    [Fact]
    public void Fused_EqualsBackpropThenCountBelow_Double()
    {
        var (xf, yf, gf) = Data(6, 8);
        double[] x = Array.ConvertAll(xf, v => (double)v), y = Array.ConvertAll(yf, v => (double)v), g = Array.ConvertAll(gf, v => (double)v);
        var expectedDelta = new double[x.Length];
        var expectedAlive = new double[8];
        double expectedSquares = Elementwise.BackpropSumOfSquares<double, Sigmoid>(x, y, g, expectedDelta);
        var expectedStats = Reductions.CountBelow<double, Sigmoid>(x, y, 8, 0.2, expectedAlive);
        var delta = new double[x.Length];
        var alive = new double[8];
        double squares = BackpropWithSaturation.Run<double, Sigmoid>(x, y, g, delta, 8, 0.2, alive, out var stats);
        Assert.Equal(expectedDelta, delta);
        Assert.Equal(expectedAlive, alive);
        Assert.Equal(expectedStats.Saturated, stats.Saturated);
        Assert.Equal(expectedSquares, squares, 10);
    }

    // Sigmoid of wide pre-activations: some units saturate in every row (dead for the batch).
    private static (float[] X, float[] Y, float[] G) Data(int rows, int cols)
    {
        var rng = new SeededRandom(11);
        var x = new float[rows * cols];
        var y = new float[x.Length];
        var g = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (i % cols) % 4 == 0 ? 9f : (float)(3 * rng.NextGaussian());
            y[i] = 1f / (1f + MathF.Exp(-x[i]));
            g[i] = (float)rng.NextGaussian();
        }

        return (x, y, g);
    }
}
