using Gradscope.Activations;
using Gradscope.Diagnostics;

namespace Gradscope.Tests.Diagnostics;

/// <summary>A layer whose weights did not move is said to have not changed, not "16 orders" slower.</summary>
public sealed class StalledLayersWordsTests
{
    private static Finding Stalled(params double[] updateRatios)
    {
        int layers = updateRatios.Length;
        var trace = new Trace([.. Enumerable.Range(0, layers).Select(l => $"{2 * l}")], [.. Enumerable.Repeat(8, layers)], [.. Enumerable.Repeat(8, layers)], "tanh", 4);
        for (int step = 0; step < 4; step++)
        {
            int s = trace.BeginStep(1.0);
            for (int l = 0; l < layers; l++)
                trace.Set(LayerStat.UpdateRatio, s, l, updateRatios[l]);
        }

        var context = new DiagnosisContext(trace, NetworkFacts.Plain(Activation.Parse("tanh"), layers - 1, null), DiagnosisThresholds.Default);
        return Assert.Single(new StalledLayersRule().Evaluate(context));
    }

    [Fact]
    public void FrozenLayers_AreSaidNotToHaveChanged()
    {
        var finding = Stalled(0, 0, 1e-3, 1e-3);
        Assert.StartsWith("2 early layer(s) did not change at all", finding.Cause, StringComparison.Ordinal);
        Assert.DoesNotContain("16", finding.Cause, StringComparison.Ordinal);
        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public void FrozenAndSlowLayers_AreBothNamed()
    {
        var finding = Stalled(0, 1e-8, 1e-3, 1e-3);
        Assert.Contains("1 early layer(s) did not change at all", finding.Cause, StringComparison.Ordinal);
        Assert.Contains("1 early layer(s) update 5 orders of magnitude more slowly", finding.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void SlowLayers_KeepTheirOrders()
    {
        var finding = Stalled(1e-9, 1e-8, 1e-3, 1e-3);
        Assert.StartsWith("2 early layer(s) update 6 orders of magnitude more slowly", finding.Cause, StringComparison.Ordinal);
    }
}
