using Gradscope.Lab.Experiments;

namespace Gradscope.Lab.Tests.Experiments;

public sealed class Glorot2010ExpectationTests
{
    [Fact]
    public void FallsTowardInput_NeedsGrowthLayerByLayerAndTheFactor()
    {
        Assert.True(Glorot2010Expectations.FallsTowardInput([1e-4, 3e-4, 1e-3, 3e-3, 1e-2]).Passed);
        Assert.False(Glorot2010Expectations.FallsTowardInput([1e-4, 3e-4, 2e-4, 3e-3, 1e-2]).Passed); // not monotone
        Assert.False(Glorot2010Expectations.FallsTowardInput([1e-3, 1.5e-3, 2e-3, 3e-3, 5e-3]).Passed); // only 5x
    }

    [Fact]
    public void Level_HoldsWithinAFactorOfTwo()
    {
        Assert.True(Glorot2010Expectations.Level([1e-3, 1.2e-3, 1.9e-3]).Passed);
        var failed = Glorot2010Expectations.Level([1e-3, 2.5e-3]);
        Assert.False(failed.Passed);
        Assert.Contains("2.50", failed.Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void Saturates_BelowPointOne()
    {
        Assert.True(Glorot2010Expectations.Saturates(0.05, 1000).Passed);
        Assert.False(Glorot2010Expectations.Saturates(0.1, 1000).Passed);
    }

    [Fact]
    public void SigmoidWorst_MustBeatEveryOther()
    {
        Assert.True(Glorot2010Expectations.SigmoidWorst(0.2, [("tanh standard", 0.15), ("softsign normalized", 0.19)]).Passed);
        var failed = Glorot2010Expectations.SigmoidWorst(0.2, [("tanh standard", 0.15), ("softsign normalized", 0.21)]);
        Assert.False(failed.Passed);
        Assert.Contains("softsign normalized 21.00%", failed.Measured, StringComparison.Ordinal);
        Assert.False(Glorot2010Expectations.SigmoidWorst(double.NaN, [("tanh standard", 0.15)]).Passed);
    }

    [Fact]
    public void NormalizedNoWorse_AllowsEqual()
    {
        Assert.True(Glorot2010Expectations.NormalizedNoWorse(0.15, 0.15).Passed);
        Assert.False(Glorot2010Expectations.NormalizedNoWorse(0.151, 0.15).Passed);
    }

    [Fact]
    public void Configurations_AreTable1WithStandardAndNormalizedInits()
    {
        var all = Glorot2010Configuration.All;
        Assert.Equal(6, all.Count);
        Assert.Equal(0.0221, all[0].PaperTestError);
        Assert.Null(all[1].PaperTestError); // sigmoid normalized: not in Table 1
        foreach (var c in all)
            Assert.Equal(c.IsNormalized ? "glorot-uniform" : "standard", Initialization.Initializer.Parse(c.Init).Name);
    }
}
