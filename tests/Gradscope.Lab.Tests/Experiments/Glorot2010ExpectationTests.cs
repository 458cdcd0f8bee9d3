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
        Assert.True(Glorot2010Expectations.Level([1e-3, 1.2e-3, 1.9e-3], 90, 0.71, 1.7).Passed);
        var failed = Glorot2010Expectations.Level([1e-3, 2.5e-3], 90, 0.71, 1.7);
        Assert.False(failed.Passed);
        Assert.Contains("max/min = 2.50", failed.Measured, StringComparison.Ordinal);
        Assert.Contains("standard init: 90.0", failed.Measured, StringComparison.Ordinal);
        Assert.Contains("x0.71", failed.Measured, StringComparison.Ordinal);
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
    public void Control_MnistSecondMomentAndAMeasuredOne()
    {
        Assert.Equal(0.112, Glorot2010Control.MnistSecondMoment, 3);
        var data = new Gradscope.Data.Dataset("d", [0, 1, 0.5, 0.5], [0, 1], 2, 2);
        Assert.Equal(0.375, Glorot2010Control.SecondMoment(data), 12); // (0 + 1 + 0.25 + 0.25) / 4
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

public sealed class Glorot2010ChoiceTests
{
    [Fact]
    public void Choose_KeepsTheLowestValidationErrorAndBreaksTiesOnLoss()
    {
        var tanh = Glorot2010Configuration.All[2];
        var sigmoid = Glorot2010Configuration.All[0];
        var trials = new[]
        {
            Trial(sigmoid, 0.01, 0.9, 2.31),
            Trial(sigmoid, 0.1, 0.9, 2.30),
            Trial(tanh, 0.01, 0.2, 0.6),
            Trial(tanh, 0.03, 0.15, 0.5),
            Trial(tanh, 0.1, 0.3, 0.4),
        };

        var chosen = Glorot2010Experiment.Choose(trials);

        Assert.Equal(2, chosen.Count);
        Assert.Equal(0.1, chosen[0].LearningRate); // sigmoid: a tie on error, the lower loss wins
        Assert.Equal(0.03, chosen[1].LearningRate);
    }

    private static Glorot2010Trial Trial(Glorot2010Configuration configuration, double rate, double error, double loss) =>
        new(configuration, rate, new InitGradients([1], [1]), error, loss, error, 1, 0.5, 0, null!);
}
