using Gradscope.Lab.Experiments;
using Gradscope.Theory;

namespace Gradscope.Lab.Tests.Experiments;

public sealed class SignalPropagationTests
{
    private static PropagationSummary Summary(double weightVariance, double? predicted, params int[] measured) =>
        new(weightVariance, 0.9, predicted / 6, predicted, measured, 40);

    [Fact]
    public void Summary_MeanRatioAndCensoring()
    {
        var s = Summary(1.2, 36, 20, 40);
        Assert.Equal(30, s.MeanDepth);
        Assert.Equal(30.0 / 36, s.Ratio!.Value, 12);
        Assert.False(s.Censored);
        Assert.True(Summary(1.2, 36, 40, 40).Censored);
        Assert.Null(Summary(1.76, null, 40).Ratio);
    }

    // 6 xi_c = 14: trained depths 7 to 28 pass, 5 and 30 fail; chaotic sigma_w^2 are not checked.
    [Theory]
    [InlineData(10, true)]
    [InlineData(5, false)]
    [InlineData(30, false)]
    public void OrderedWithinFactorTwo_ChecksOnlyTheOrderedPhase(int measured, bool passes)
    {
        PropagationSummary[] summaries = [Summary(0.8, 14, measured), Summary(3.5, 47, 5)];
        Assert.Equal(passes, PropagationExpectations.OrderedWithinFactorTwo(summaries, 1.5).Passed);
    }

    // At the grid's end the measured depth is a lower bound: 40 against 6 xi_c = 78 is within a factor
    // of 2 from below and cannot be too deep; 20 against 78 is too shallow.
    [Fact]
    public void OrderedWithinFactorTwo_GridEndIsALowerBound()
    {
        Assert.True(PropagationExpectations.OrderedWithinFactorTwo([Summary(1.5, 78, 40, 40)], 1.5).Passed);
        Assert.False(PropagationExpectations.OrderedWithinFactorTwo([Summary(1.5, 78, 20, 20)], 1.5).Passed);
        Assert.False(PropagationExpectations.OrderedWithinFactorTwo([Summary(2.5, 71, 20)], 1.5).Passed);
    }

    // Grid 0.8, 1.2, 1.76, 2.5, 3.5 with the critical 1.761: the deepest may sit at 1.2, 1.76 or 2.5.
    [Theory]
    [InlineData(new[] { 10, 20, 40, 20, 5 }, true)]
    [InlineData(new[] { 10, 40, 40, 20, 5 }, true)]
    [InlineData(new[] { 10, 20, 20, 20, 40 }, false)]
    [InlineData(new[] { 40, 20, 40, 20, 5 }, false)]
    [InlineData(new[] { 0, 0, 0, 0, 0 }, false)]
    public void DeepestNearCritical_AllowsOneGridStep(int[] measured, bool passes)
    {
        double[] weights = [0.8, 1.2, 1.76, 2.5, 3.5];
        var summaries = new PropagationSummary[weights.Length];
        for (int i = 0; i < weights.Length; i++)
            summaries[i] = Summary(weights[i], 30, measured[i]);
        Assert.Equal(passes, PropagationExpectations.DeepestNearCritical(summaries, 1.761).Passed);
    }

    // Summarize reads each seed's boundary for the same sigma_w^2 and the grid's deepest depth.
    [Fact]
    public void Summarize_PoolsSeedsPerWeightVariance()
    {
        var options = TrainabilityOptions.Quick with { Depths = [10, 20], WeightVariances = [0.8, 1.76] };
        TrainabilityResult Result(int first, int second) => new(options, [],
            [new TrainabilityBoundary(0.8, 0.65, 2.3, 13.8, first), new TrainabilityBoundary(1.76, 1.0, null, null, second)], 0.25, 0.625);
        var summaries = SignalPropagationExperiment.Summarize([Result(10, 20), Result(0, 20)]);
        Assert.Equal([10, 0], summaries[0].MeasuredDepths);
        Assert.Equal(5, summaries[0].MeanDepth);
        Assert.True(summaries[1].Censored);
        Assert.Null(summaries[1].PredictedDepth);
    }
}
