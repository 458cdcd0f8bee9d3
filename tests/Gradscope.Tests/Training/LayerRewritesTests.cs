using Gradscope.Activations;
using Gradscope.Training;

namespace Gradscope.Tests.Training;

public sealed class LayerRewritesTests
{
    private static readonly Activation Tanh = Activation.Parse("tanh");

    [Fact]
    public void WrapInResidualBlocks_OnAPlainChain_IsWhatResidualFlagsBuild()
    {
        foreach (int depth in new[] { 2, 3, 4, 5, 8 })
        {
            var widths = Enumerable.Range(0, depth).Select(i => 8 + i).ToArray();
            foreach (var norm in new[] { NormKind.None, NormKind.Batch })
            {
                var plain = new NetworkSpec(2, widths, 3, Tanh) { Norm = norm, Dropout = 0.2 }.Layout();
                var residual = new NetworkSpec(2, widths, 3, Tanh) { Norm = norm, Dropout = 0.2, Residual = ResidualStyle.PreActivation }.Layout();
                Assert.True(LayerRewrites.SameLayout(residual, LayerRewrites.WrapInResidualBlocks(plain)), $"depth {depth}, norm {norm}");
            }
        }
    }

    [Fact]
    public void InsertNorms_OnPlainAndResidualLayouts_IsWhatNormFlagsBuild()
    {
        foreach (var style in new[] { ResidualStyle.None, ResidualStyle.PreActivation })
        {
            var bare = new NetworkSpec(2, [8, 8, 8, 8, 8], 3, Tanh) { Residual = style }.Layout();
            var normed = new NetworkSpec(2, [8, 8, 8, 8, 8], 3, Tanh) { Residual = style, Norm = NormKind.Layer }.Layout();
            Assert.True(LayerRewrites.SameLayout(normed, LayerRewrites.InsertNorms(bare, NormKind.Layer)), style.ToString());
            Assert.True(LayerRewrites.SameLayout(normed, LayerRewrites.InsertNorms(normed, NormKind.Layer)), "a normalized layout is unchanged");
        }
    }

    [Fact]
    public void WrapInResidualBlocks_LeavesResidualAndSingleLayerLayoutsAlone()
    {
        var residual = new NetworkSpec(2, [8, 8, 8], 3, Tanh) { Residual = ResidualStyle.PreActivation }.Layout();
        Assert.Same(residual, LayerRewrites.WrapInResidualBlocks(residual));
        IReadOnlyList<LayerSpec> single = [new DenseSpec(4), new ActivationSpec(Tanh)];
        Assert.Same(single, LayerRewrites.WrapInResidualBlocks(single));
    }

    [Fact]
    public void SwapActivations_ReachesIntoResidualBlocks()
    {
        var residual = new NetworkSpec(2, [8, 8, 8], 3, Tanh) { Residual = ResidualStyle.PreActivation }.Layout();
        var swapped = LayerRewrites.SwapActivations(residual, Activation.Parse("relu"));
        Assert.Contains("\"relu\"", ModelSpecJson.Write(null, swapped, null), StringComparison.Ordinal);
        Assert.DoesNotContain("\"tanh\"", ModelSpecJson.Write(null, swapped, null), StringComparison.Ordinal);
    }
}
