using Gradscope.Activations;
using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Tests.Layers;

public sealed class ActivationLayerTests
{
    // The sum of squares costs a widening to double per value: the backward pass pays for it only
    // when a monitor asked (CollectsSaturation), and says NaN otherwise rather than a stale value.
    [Fact]
    public void GradInputSumOfSquares_IsMeasuredOnlyWhenAMonitorAsks()
    {
        var layer = Activation.Parse("tanh").CreateLayer<float>(16);
        var rng = new SeededRandom(4);
        var input = new Matrix<float>(5, 16);
        var gradOutput = new Matrix<float>(5, 16);
        for (int i = 0; i < input.Length; i++)
        {
            input.Span[i] = (float)rng.NextGaussian();
            gradOutput.Span[i] = (float)rng.NextGaussian() * 1e25f; // squares overflow float
        }

        layer.Forward(input, training: true);
        layer.Backward(gradOutput);
        Assert.True(double.IsNaN(layer.GradInputSumOfSquares));

        layer.CollectsSaturation = true;
        layer.Backward(gradOutput);
        double expected = 0;
        foreach (float v in layer.GradInput.Span)
            expected += (double)v * v;
        Assert.True(double.IsFinite(expected));
        Assert.Equal(expected, layer.GradInputSumOfSquares, expected * 1e-12);
    }
}
