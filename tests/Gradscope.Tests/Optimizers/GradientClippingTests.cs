using Gradscope.Layers;
using Gradscope.Optimizers;
using Gradscope.Tensors;

namespace Gradscope.Tests.Optimizers;

public class GradientClippingTests
{
    // Gradients [3, 4] and [12]: norm sqrt(9 + 16 + 144) = 13. maxNorm 1: scale 1 / (13 + 1e-6).
    [Fact]
    public void ClipByGlobalNorm_ScalesAllGradientsWhenAboveMax()
    {
        Parameter<double>[] parameters = Gradients<double>([3, 4], [12]);
        double norm = GradientClipping.ClipByGlobalNorm(parameters, 1.0);

        double scale = 1.0 / (13 + 1e-6);
        Assert.Equal(13.0, norm, 1e-12);
        Assert.Equal([3 * scale, 4 * scale], parameters[0].Grad.Span.ToArray());
        Assert.Equal(12 * scale, parameters[1].Grad[0, 0]);
        Assert.Equal(1.0 - (1e-6 / 13), GradientClipping.GlobalNorm(parameters), 1e-12);
    }

    [Fact]
    public void ClipByGlobalNorm_LeavesGradientsBelowMax()
    {
        Parameter<float>[] parameters = Gradients<float>([3, 4], [12]);
        Assert.Equal(13.0, GradientClipping.ClipByGlobalNorm(parameters, 20.0), 1e-6);
        Assert.Equal([3f, 4f], parameters[0].Grad.Span.ToArray());
    }

    // Float squares of 1e30 overflow float; the norm is summed in double: sqrt(2) * 1e30.
    [Fact]
    public void ClipByGlobalNorm_HugeFloatGradientsGiveFiniteNorm()
    {
        Parameter<float>[] parameters = Gradients<float>([1e30, 1e30]);
        double norm = GradientClipping.ClipByGlobalNorm(parameters, 1.0);
        Assert.Equal(Math.Sqrt(2) * 1e30, norm, 1e24);
        Assert.Equal(Math.Sqrt(0.5), parameters[0].Grad[0, 0], 1e-6);
    }

    [Fact]
    public void ClipByGlobalNorm_NonFiniteNormLeavesGradientsVisible()
    {
        Parameter<float>[] parameters = Gradients<float>([float.NaN, 2]);
        Assert.True(double.IsNaN(GradientClipping.ClipByGlobalNorm(parameters, 1.0)));
        Assert.Equal(2f, parameters[0].Grad[0, 1]);
    }

    [Fact]
    public void ClipByGlobalNorm_RejectsNonPositiveMax()
    {
        var error = Assert.Throws<GradscopeException>(() => GradientClipping.ClipByGlobalNorm(Gradients<float>([1]), 0));
        Assert.Equal("The gradient clipping norm must be a positive finite number; got 0.", error.Message);
    }

    [Fact]
    public void ClipByValue_ClampsEachElement()
    {
        Parameter<float>[] parameters = Gradients<float>([-3, 0.5, 2, double.NaN], [1.5]);
        GradientClipping.ClipByValue(parameters, 1.0);
        Assert.Equal([-1f, 0.5f, 1f, float.NaN], parameters[0].Grad.Span.ToArray());
        Assert.Equal(1f, parameters[1].Grad[0, 0]);
    }

    [Fact]
    public void ClipByValue_RejectsNonPositiveLimit()
    {
        var error = Assert.Throws<GradscopeException>(() => GradientClipping.ClipByValue(Gradients<double>([1]), -1));
        Assert.Equal("The gradient clipping value must be a positive finite number; got -1.", error.Message);
    }

    [Fact]
    public void Clipping_AllocatesNothing()
    {
        Parameter<float>[] parameters = Gradients<float>(new double[1000], [3, 4]);
        GradientClipping.ClipByGlobalNorm(parameters, 1.0);
        GradientClipping.ClipByValue(parameters, 1.0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            GradientClipping.ClipByGlobalNorm(parameters, 1.0);
            GradientClipping.ClipByValue(parameters, 1.0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // One definition: the clipping norm is the monitor's sum of squares, to the bit, and a naive
    // double sum to rounding, over every length around the vector widths.
    [Fact]
    public void GlobalNorm_IsTheSquareRootOfTheMonitorsSumOfSquares()
    {
        var rng = new SeededRandom(3);
        int limit = (3 * System.Numerics.Vector<float>.Count) + 1;
        for (int length = 1; length <= limit; length++)
        {
            var values = new double[length];
            for (int i = 0; i < length; i++)
                values[i] = rng.NextGaussian() * 1e25; // squares of 1e25 overflow float
            var parameters = Gradients<float>(values, [3]);
            double expected = Reductions.SumOfSquares<float>(parameters[0].Grad.Span) + 9;
            Assert.Equal(Math.Sqrt(expected), GradientClipping.GlobalNorm(parameters));
            double naive = 9;
            foreach (float v in parameters[0].Grad.Span)
                naive += (double)v * v;
            Assert.Equal(Math.Sqrt(naive), GradientClipping.GlobalNorm(parameters), 1e-12 * Math.Sqrt(naive));
        }
    }

    private static Parameter<T>[] Gradients<T>(params double[][] gradients)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var parameters = new Parameter<T>[gradients.Length];
        for (int i = 0; i < gradients.Length; i++)
        {
            parameters[i] = OptimizerRun.NewParameter<T>(i == 0 ? "weight" : "bias", new double[gradients[i].Length]);
            OptimizerRun.SetGradient(parameters[i], gradients[i]);
        }

        return parameters;
    }
}
