using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Layers;
using Gradscope.Training;

namespace Gradscope.Tests.Training;

public sealed class NetworkLayoutTests
{
    private static readonly Activation Tanh = Activation.Parse("tanh");

    [Fact]
    public void Build_PlainSpec_SameLayersAndWeightsAsAHandBuiltChain()
    {
        var spec = new NetworkSpec(2, [4, 3], 3, Tanh);
        var network = spec.Build<double>(Initializer.Parse("glorot-uniform"), new SeededRandom(7));

        // What the builder did before norm, residual and dropout existed: dense layers in order, one rng.
        var rng = new SeededRandom(7);
        var init = Initializer.Parse("glorot-uniform");
        var expected = new[] { new Dense<double>(2, 4), new Dense<double>(4, 3), new Dense<double>(3, 3) };
        foreach (var dense in expected)
            init.Initialize(dense.Weight.Value, rng);

        Assert.Equal(["dense", "tanh", "dense", "tanh", "dense"], network.Layers.Select(l => l.Kind));
        Assert.Equal(expected[2].Weight.Value.Span.ToArray(), ((Dense<double>)network.Layers[4]).Weight.Value.Span.ToArray());
        Assert.False(((Dense<double>)network.Layers[0]).ComputesInputGradient);
        Assert.True(spec.IsPlainDense);
        Assert.Equal("2-4-3-3 tanh", spec.Describe());
    }

    [Fact]
    public void Build_NormAndDropout_NormBeforeActivationDropoutAfter()
    {
        var spec = new NetworkSpec(2, [4, 4], 3, Tanh) { Norm = NormKind.Layer, Dropout = 0.25 };
        var network = spec.Build<float>(Initializer.Parse("he-normal"), new SeededRandom(1));

        Assert.Equal(["dense", "layernorm", "tanh", "dropout", "dense", "layernorm", "tanh", "dropout", "dense"], network.Layers.Select(l => l.Kind));
        Assert.Equal("2-4-4-3 tanh layer-norm dropout 0.25", spec.Describe());
    }

    [Fact]
    public void Build_Dropout_LeavesTheInitialWeightsOfASeedUnchanged()
    {
        var plain = new NetworkSpec(2, [4, 4], 3, Tanh).Build<double>(Initializer.Parse("he-normal"), new SeededRandom(3));
        var dropped = new NetworkSpec(2, [4, 4], 3, Tanh) { Dropout = 0.5 }.Build<double>(Initializer.Parse("he-normal"), new SeededRandom(3));

        Assert.Equal(((Dense<double>)plain.Layers[^1]).Weight.Value.Span.ToArray(), ((Dense<double>)dropped.Layers[^1]).Weight.Value.Span.ToArray());
    }

    [Fact]
    public void Layout_PreActivationResidual_StemPairedBlocksOddBlockAndFinalActivation()
    {
        var spec = new NetworkSpec(2, [8, 8, 8, 4], 3, Tanh) { Norm = NormKind.Batch, Residual = ResidualStyle.PreActivation };
        var network = spec.BuildUninitialized<float>();

        var names = LayerTree.Leaves(network).Select(l => $"{l.Path}:{l.Layer.Kind}");

        Assert.Equal(
        [
            "0:dense",
            "1.body.0:batchnorm", "1.body.1:tanh", "1.body.2:dense", "1.body.3:batchnorm", "1.body.4:tanh", "1.body.5:dense",
            "2.body.0:batchnorm", "2.body.1:tanh", "2.body.2:dense", "2.proj:dense",
            "3:batchnorm", "4:tanh", "5:dense",
        ], names);
        Assert.Equal("2-8-8-8-4-3 tanh batch-norm residual", spec.Describe());
    }

    [Fact]
    public void Layout_PostActivationResidual_ActivationAfterEachSum()
    {
        var spec = new NetworkSpec(2, [6, 6, 6], 3, Tanh) { Residual = ResidualStyle.PostActivation, Dropout = 0.1 };
        var kinds = LayerTree.Leaves(spec.BuildUninitialized<float>()).Select(l => $"{l.Path}:{l.Layer.Kind}");

        Assert.Equal(["0:dense", "1:tanh", "2:dropout", "3.body.0:dense", "3.body.1:tanh", "3.body.2:dropout", "3.body.3:dense", "4:tanh", "5:dropout", "6:dense"], kinds);
    }

    [Fact]
    public void ToJson_FlagsExpandIntoTheirLayers_AndParseBack()
    {
        var spec = new NetworkSpec(2, [4, 4, 4], 3, Tanh) { Norm = NormKind.Batch, Residual = ResidualStyle.PreActivation };
        string json = spec.ToJson();

        var again = NetworkSpec.FromJson(json);

        Assert.Equal(
            "{\"input\":2,\"layers\":[{\"type\":\"dense\",\"units\":4},{\"type\":\"residual\",\"layers\":[{\"type\":\"batchnorm\"},{\"type\":\"activation\",\"name\":\"tanh\"},{\"type\":\"dense\",\"units\":4},{\"type\":\"batchnorm\"},{\"type\":\"activation\",\"name\":\"tanh\"},{\"type\":\"dense\",\"units\":4}]},{\"type\":\"batchnorm\"},{\"type\":\"activation\",\"name\":\"tanh\"}],\"output\":3}",
            json);
        Assert.Equal(json, again.ToJson());
        Assert.Equal([4, 4, 4], again.HiddenSizes);
    }

    [Theory]
    [InlineData("batch", NormKind.Batch)]
    [InlineData("Layer", NormKind.Layer)]
    [InlineData(" none ", NormKind.None)]
    public void ParseNorm_KnownNames(string text, NormKind expected) => Assert.Equal(expected, NetworkSpec.ParseNorm(text));

    [Fact]
    public void ParseNorm_Unknown_ListsValidValues()
    {
        var ex = Assert.Throws<GradscopeException>(() => NetworkSpec.ParseNorm("group"));
        Assert.Equal("Unknown normalization 'group'. Use none, batch or layer.", ex.Message);
    }
}
