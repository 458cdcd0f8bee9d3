using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Lab.Fixes;
using Gradscope.Lab.Runs;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Fixes;

public sealed class RemedyRewriterTests
{
    private const string SigmoidSpec =
        """{"layers": [{"type": "dense", "units": 8, "module": "a"}, {"type": "activation", "name": "sigmoid"}, {"type": "dense", "units": 8, "module": "b"}, {"type": "activation", "name": "sigmoid"}]}""";

    // A layer list that is not the flags' (its own module paths, as a loaded model's): the swap
    // names the initializer on every dense layer it changes, so a continued run draws them afresh.
    [Theory]
    [InlineData("relu-he", "relu", "he-normal")]
    [InlineData("gelu-he", "gelu", "he-normal")]
    [InlineData("leaky-relu-he", "leaky-relu", "he-normal")]
    [InlineData("tanh-glorot", "tanh", "glorot-uniform")]
    public void SwapRemedy_OnALayerList_ReinitializesTheDenseLayersWithTheNamedInit(string id, string activation, string init)
    {
        RunSpec spec = new TestFlags { ModelSpec = SigmoidSpec, Init = "standard" };

        var after = RemedyRewriter.Apply(spec, Remedies.Get(id));

        Assert.Equal(Initializer.Parse(init), after.Init);
        Assert.All(after.Network.Layers.OfType<ActivationSpec>(), a => Assert.Equal(activation, a.Activation.Name));
        Assert.Equal(["a", "b"], LayerPaths.Reinitialized(spec.Network.Layers, after.Network.Layers).Order());
        Assert.All(LayerPaths.DenseInits(after.Network.Layers).Values, i => Assert.Equal(Initializer.Parse(init), i));
    }

    // A flag-built network is drawn afresh whole from the run's initializer; its layer list stays the flags'.
    [Fact]
    public void SwapRemedy_OnTheFlagsLayout_SetsTheRunsInitializerOnly()
    {
        RunSpec spec = new TestFlags { Hidden = [8, 8], Activation = "sigmoid", Init = "standard" };

        var after = RemedyRewriter.Apply(spec, Remedies.ReluHe);

        Assert.Equal(new HeNormal(), after.Init);
        Assert.Equal(new TestFlags { Hidden = [8, 8], Activation = "relu" }.ToSpec().Network.Layers, after.Network.Layers);
        Assert.True(RemedyRewriter.Changes(spec, Remedies.ReluHe));
    }

    [Fact]
    public void ClipRemedy_LowersTheStatedLearningRateTenfold()
    {
        RunSpec spec = new TestFlags { Optimizer = "rmsprop" };

        var after = RemedyRewriter.Apply(spec, Remedies.ClipAndLowerLearningRate);

        Assert.Equal((0.001, 1.0), (after.Optimizer.LearningRate, after.ClipNorm!.Value), new ToleranceComparer());
    }

    [Fact]
    public void StoredRemedyOfUnknownRewrite_ChangesNothing()
    {
        RunSpec spec = new TestFlags();
        var stored = new Remedy("from-the-future", "Something new", "", new RemedyRewrite.None());

        Assert.Same(spec, RemedyRewriter.Apply(spec, stored));
        Assert.False(RemedyRewriter.Changes(spec, stored));
    }

    private sealed class ToleranceComparer : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) < 1e-12 && Math.Abs(x.Item2 - y.Item2) < 1e-12;

        public int GetHashCode((double, double) obj) => 0;
    }
}
