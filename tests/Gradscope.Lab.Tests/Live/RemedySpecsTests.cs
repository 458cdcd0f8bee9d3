using Gradscope.Lab.Live;
using Gradscope.Lab.Runs;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Live;

public sealed class RemedySpecsTests
{
    [Fact]
    public void BatchNorm_PutsANormAfterEveryHiddenDenseLayer_AndKeepsTheRest()
    {
        var spec = HostedSpecs.Spiral(epochs: 2);
        var remedied = RemedySpecs.Apply(spec, "batch-norm");

        Assert.Equal(["dense", "batch", "tanh", "dense", "batch", "tanh"], Types(remedied));
        Assert.Equal(spec.Data, remedied.Data);
        Assert.Equal(spec.Budget, remedied.Budget);
        Assert.Equal(spec.Optimizer, remedied.Optimizer);
        Assert.Throws<GradscopeException>(() => RemedySpecs.Apply(remedied, "batch-norm"));
    }

    [Fact]
    public void Residual_WrapsTheHiddenLayersInSkipBlocks()
    {
        var spec = HostedSpecs.Spiral(epochs: 2, hidden: [8, 8, 8, 8]);
        var remedied = RemedySpecs.Apply(spec, "residual");

        Assert.Contains(remedied.Network.Layers, l => l is ResidualSpec);
        Assert.DoesNotContain(spec.Network.Layers, l => l is ResidualSpec);
    }

    [Fact]
    public void TanhGlorot_SwapsSigmoid_AndLstmSwapsARecurrentCell()
    {
        var sigmoid = HostedSpecs.Spiral(epochs: 2, "sigmoid", "standard");
        var tanh = RemedySpecs.Apply(sigmoid, "tanh-glorot");
        Assert.Equal(["dense", "tanh", "dense", "tanh"], Types(tanh));
        Assert.Equal("glorot-uniform", tanh.Init.ToSpec());

        var rnn = sigmoid with { Network = new ModelSpecDocument(null, [new RecurrentSpec("rnn", 8)], null) };
        var lstm = RemedySpecs.Apply(rnn, "lstm");
        var cell = Assert.IsType<RecurrentSpec>(Assert.Single(lstm.Network.Layers));
        Assert.Equal("lstm", cell.Cell);
        Assert.Equal(1.0, cell.ForgetBias);
    }

    private static List<string> Types(RunSpec spec)
    {
        var types = new List<string>();
        foreach (var layer in spec.Network.Layers)
            types.Add(layer is NormSpec norm ? norm.Kind.ToString().ToLowerInvariant() : layer is ActivationSpec a ? a.Activation.Name : layer.Type);
        return types;
    }
}
