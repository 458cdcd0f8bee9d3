using Gradscope.Activations;
using Gradscope.Layers;
using Gradscope.Training;

namespace Gradscope.Tests.Training;

public sealed class NetworkSpecTests
{
    [Theory]
    [InlineData("10x32", new[] { 32, 32, 32, 32, 32, 32, 32, 32, 32, 32 })]
    [InlineData("64,32,16", new[] { 64, 32, 16 })]
    [InlineData("3X8", new[] { 8, 8, 8 })]
    [InlineData("none", new int[0])]
    public void ParseLayers_AcceptsBothForms(string text, int[] expected) =>
        Assert.Equal(expected, NetworkSpec.ParseLayers(text));

    [Theory]
    [InlineData("10x", "the width '' is not a whole number")]
    [InlineData("ax32", "the layer count 'a' is not a whole number")]
    [InlineData("64,,16", "the width '' is not a whole number")]
    [InlineData("0x32", "the layer count '0' is not a whole number from 1")]
    [InlineData("-5", "the width '-5'")]
    [InlineData("", "or 'none' for a network without hidden layers")]
    [InlineData("  ", "or 'none' for a network without hidden layers")]
    public void ParseLayers_RejectsMalformed(string text, string message)
    {
        var ex = Assert.Throws<GradscopeException>(() => NetworkSpec.ParseLayers(text));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Build_AlternatesDenseAndActivation_AsPyTorchSequential()
    {
        var spec = new NetworkSpec(2, [8, 8], 3, Activation.Parse("tanh"));
        var network = spec.Build<float>(Gradscope.Initialization.Initializer.Parse("glorot-uniform"), new SeededRandom(1));
        Assert.Equal(["dense", "tanh", "dense", "tanh", "dense"], network.Layers.Select(l => l.Kind));
        Assert.False(((Dense<float>)network.Layers[0]).ComputesInputGradient);
        Assert.Equal((2 * 8) + 8 + (8 * 8) + 8 + (8 * 3) + 3, network.ParameterCount);
        Assert.Equal("2-8-8-3 tanh", spec.Describe());
    }
}
