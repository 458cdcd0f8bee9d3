using Gradscope.Activations;
using Gradscope.Layers;
using Gradscope.Tests.TestSupport;

namespace Gradscope.Tests.Layers;

public sealed class ResidualTests
{
    [Fact]
    public void Residual_ZeroBody_PassesInputAndGradientThrough()
    {
        var block = new Residual<double>(new Sequential<double>([new Dense<double>(3, 3), Activation.Parse("relu").CreateLayer<double>(3)]));
        var x = GradientCheck.RandomInput(2, 3, seed: 1);

        var y = block.Forward(x, training: true);
        var dx = block.Backward(x);

        Assert.Equal(x.Span.ToArray(), y.Span.ToArray());
        Assert.Equal(x.Span.ToArray(), dx.Span.ToArray());
    }

    [Fact]
    public void Residual_WidthChangeWithoutProjection_ThrowsWithWidths()
    {
        var body = new Sequential<float>([new Dense<float>(4, 6)]);
        var ex = Assert.Throws<GradscopeException>(() => new Residual<float>(body));
        Assert.Equal("A residual block whose body maps 4 features to 6 needs a projection on its skip path.", ex.Message);
    }

    [Fact]
    public void Residual_MismatchedProjection_ThrowsWithWidths()
    {
        var body = new Sequential<float>([new Dense<float>(4, 6)]);
        var ex = Assert.Throws<GradscopeException>(() => new Residual<float>(body, new Dense<float>(4, 5)));
        Assert.Equal("A residual block's projection must map 4 features to 6 like its body; it maps 4 to 5.", ex.Message);
    }

    [Fact]
    public void LayerTree_NamesNestedLayersAsPyTorchStateDict()
    {
        var block = new Residual<float>(new Sequential<float>([new Dense<float>(2, 3), new BatchNorm<float>(3)]), new Dense<float>(2, 3));
        var network = new Sequential<float>([new Dense<float>(2, 2), block, new Dense<float>(3, 1)]);

        var names = LayerTree.Leaves(network).Select(l => $"{l.Path}:{l.Layer.Kind}");

        Assert.Equal(["0:dense", "1.body.0:dense", "1.body.1:batchnorm", "1.proj:dense", "2:dense"], names);
        Assert.Equal(10, network.Parameters.Count);
    }
}
