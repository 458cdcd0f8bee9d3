using System.Numerics;
using Gradscope.Activations;
using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Tests.Layers;

/// <summary>
/// A dense layer followed by an activation runs as one fused pass in <see cref="Sequential{T}"/>
/// (the GEMM applies the activation to each finished block). It must leave both layers exactly as
/// running them one after the other does: same pre-activation, same output, same backward.
/// </summary>
public sealed class FusedForwardTests
{
    // (batch, in, out): one GEMM block; two depth blocks (in > Kc = 256) split over the cores by
    // columns; split by rows; a partial micro-tile everywhere.
    public static TheoryData<string, int, int, int> Cases()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (var activation in Activation.All)
        {
            data.Add(activation.Name, 5, 3, 7);
            data.Add(activation.Name, 37, 300, 257);
        }

        data.Add("relu", 700, 65, 40);
        data.Add("tanh", 130, 20, 2100);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FusedSequential_EqualsLayerByLayer_Float(string activation, int batch, int inputs, int outputs) =>
        Check<float>(activation, batch, inputs, outputs);

    [Theory]
    [MemberData(nameof(Cases))]
    public void FusedSequential_EqualsLayerByLayer_Double(string activation, int batch, int inputs, int outputs) =>
        Check<double>(activation, batch, inputs, outputs);

    [Fact]
    public void FusedSequential_OnTheScalarPath_EqualsLayerByLayer()
    {
        Elementwise.UseSimd = false;
        try
        {
            Check<float>("sigmoid", 37, 300, 257);
        }
        finally
        {
            Elementwise.UseSimd = Vector.IsHardwareAccelerated;
        }
    }

    private static void Check<T>(string activationName, int batch, int inputs, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var fused = Network<T>(activationName, inputs, outputs);
        var separate = Network<T>(activationName, inputs, outputs);
        var x = Random<T>(batch, inputs, 3);

        var y = fused.Forward(x, training: true);
        var expected = x;
        foreach (var layer in separate.Layers)
            expected = layer.Forward(expected, training: true);

        var denseFused = (Dense<T>)fused.Layers[0];
        var denseSeparate = (Dense<T>)separate.Layers[0];
        var activationFused = (ActivationLayer<T>)fused.Layers[1];
        Assert.True(denseSeparate.Output.Span.SequenceEqual(denseFused.Output.Span), "pre-activation differs");
        Assert.True(expected.Span.SequenceEqual(y.Span), "activation differs");
        Assert.Same(denseFused.Output, activationFused.Input);
        Assert.Equal(batch, activationFused.Output.Rows);

        var gradOutput = Random<T>(batch, outputs, 4);
        var dxFused = fused.Backward(gradOutput);
        var g = gradOutput;
        for (int i = separate.Layers.Count - 1; i >= 0; i--)
            g = separate.Layers[i].Backward(g);
        Assert.True(g.Span.SequenceEqual(dxFused.Span), "input gradient differs");
        Assert.True(denseSeparate.Weight.Grad.Span.SequenceEqual(denseFused.Weight.Grad.Span), "weight gradient differs");
    }

    private static Sequential<T> Network<T>(string activationName, int inputs, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dense = new Dense<T>(inputs, outputs);
        var weights = Random<T>(outputs, inputs, 1);
        weights.Span.CopyTo(dense.Weight.Value.Span);
        Random<T>(1, outputs, 2).Span.CopyTo(dense.Bias.Value.Span);
        return new Sequential<T>([dense, Activation.Parse(activationName).CreateLayer<T>(outputs)]);
    }

    private static Matrix<T> Random<T>(int rows, int cols, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new SeededRandom(seed);
        var matrix = new Matrix<T>(rows, cols);
        var span = matrix.Span;
        for (int i = 0; i < span.Length; i++)
            span[i] = T.CreateTruncating(2 * rng.NextGaussian());
        return matrix;
    }
}
