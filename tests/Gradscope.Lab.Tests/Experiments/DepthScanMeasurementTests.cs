using Gradscope.Diagnostics;
using Gradscope.Lab.Experiments;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Tests.Experiments;

public sealed class DepthScanMeasurementTests
{
    private static readonly DepthScanArm Sigmoid = DepthScanExperiment.Arms[0];

    [Fact]
    public void LineFit_MatchesHandComputation()
    {
        // y = 0, 1, 3 at x = 0, 1, 2: slope 3/2, intercept 4/3 - 3/2, residuals 1/6, -1/3, 1/6, so R^2 = 1 - (1/6) / (14/3) = 27/28.
        var fit = LineFit.Through([0.0, 1, 2], [0.0, 1, 3]);

        Assert.Equal(1.5, fit.Slope, 12);
        Assert.Equal(-1.0 / 6, fit.Intercept, 12);
        Assert.Equal(27.0 / 28, fit.RSquared, 12);
    }

    [Fact]
    public void LineFit_ExactLine_HasRSquaredOne()
    {
        var fit = LineFit.Through([2.0, 10, 30], [2.0 + (3 * 2), 2.0 + (3 * 10), 2.0 + (3 * 30)]);

        Assert.Equal(3, fit.Slope, 12);
        Assert.Equal(2, fit.Intercept, 12);
        Assert.Equal(1, fit.RSquared, 12);
    }

    [Fact]
    public void SeedSummary_GivesMeanSampleSpreadAndRange()
    {
        var summary = SeedSummary.Of([1.0, 2, 3]);

        Assert.Equal(2, summary.Mean, 12);
        Assert.Equal(1, summary.Spread, 12);
        Assert.Equal((1.0, 3.0), (summary.Min, summary.Max));
        Assert.Equal(0, SeedSummary.Of([5.0]).Spread);
    }

    [Fact]
    public void GrowsLinearly_NeedsBothSlopeAndRSquared()
    {
        Assert.True(DepthScanExpectations.GrowsLinearly("sigmoid", new LineFit(0.85, -0.9, 0.99, 6), 0.85, 2, 50).Passed);
        Assert.False(DepthScanExpectations.GrowsLinearly("sigmoid", new LineFit(0.05, 0, 0.99, 6), 0.85, 2, 50).Passed);
        Assert.False(DepthScanExpectations.GrowsLinearly("sigmoid", new LineFit(0.85, 0, 0.8, 6), 0.85, 2, 50).Passed);
    }

    [Fact]
    public void StaysUnder_FailsWhenOneDepthLosesTooMuchEitherWay()
    {
        int[] depths = [2, 10, 30];
        SeedSummary Orders(double mean) => SeedSummary.Of([mean]);

        Assert.True(DepthScanExpectations.StaysUnder("relu", depths, [Orders(0.1), Orders(0.4), Orders(1.4)]).Passed);
        Assert.False(DepthScanExpectations.StaysUnder("relu", depths, [Orders(0.1), Orders(0.4), Orders(1.6)]).Passed);
        Assert.False(DepthScanExpectations.StaysUnder("relu", depths, [Orders(0.1), Orders(-1.6), Orders(0.2)]).Passed);
    }

    [Fact]
    public void UpdatesFallBehind_JudgesEverySeedFromDepthTen()
    {
        int[] depths = [5, 10, 30];

        // Depth 5 is not judged; at depth 10 the worst seed decides.
        Assert.True(DepthScanExpectations.UpdatesFallBehind("sigmoid", depths,
            [SeedSummary.Of([-0.5]), SeedSummary.Of([-7.0, -2.5]), SeedSummary.Of([-20.0])]).Passed);
        Assert.False(DepthScanExpectations.UpdatesFallBehind("sigmoid", depths,
            [SeedSummary.Of([-9.0]), SeedSummary.Of([-7.0, -1.5]), SeedSummary.Of([-20.0])]).Passed);

        // Nothing deep enough was run: the claim is not shown.
        Assert.False(DepthScanExpectations.UpdatesFallBehind("sigmoid", [2, 5], [SeedSummary.Of([-9.0]), SeedSummary.Of([-9.0])]).Passed);
    }

    [Fact]
    public void EarlyUpdateRatios_AreMediansOfLearningRateTimesGradOverWeight()
    {
        var trace = new Trace(["0", "2"], [2, 4], [4, 3], "sigmoid");
        double[] gradNorms = [1, 3, 2];
        for (int s = 0; s < 3; s++)
        {
            var stats = new double[LayerStatNames.Count * 2];
            stats[((int)LayerStat.GradNorm * 2) + 0] = gradNorms[s];
            stats[((int)LayerStat.GradNorm * 2) + 1] = 10;
            stats[((int)LayerStat.WeightNorm * 2) + 0] = 4;
            stats[((int)LayerStat.WeightNorm * 2) + 1] = 5;
            trace.AppendStep(s, 1, 0.5, double.NaN, stats);
        }

        var ratios = DepthScanTrials.EarlyUpdateRatios(trace, 3, 1);

        // Median of 0.5 * {1, 3, 2} / 4.
        Assert.Equal(0.5 * 2 / 4, Assert.Single(ratios), 12);
    }

    [Fact]
    public void Measure_ReadsHiddenLayersOfARealRun()
    {
        var config = DepthScanTrials.Config(Sigmoid, 4, 8, 2, 0.1, 1);
        var run = MonitoredRun.Run(config, new MonitorOptions());

        var trial = DepthScanTrials.Measure(Sigmoid, run);

        // Four hidden layers (the trace's fifth layer is the output).
        Assert.Equal(4, trial.Depth);
        Assert.Equal(4, trial.UpdateRatios.Count);
        var context = MonitoredRun.Context(run.Trace, config);
        var delta = context.Early(LayerStat.DeltaRms);
        Assert.Equal(Math.Log10(delta[3] / delta[0]), trial.OrdersLost, 9);

        // For plain SGD lr * norm(grad) / norm(W) is the update ratio the monitor measures as norm(W_after - W_before) / norm(W_before).
        var measured = context.Early(LayerStat.UpdateRatio);
        for (int l = 0; l < 4; l++)
            Assert.Equal(1, trial.UpdateRatios[l] / measured[l], 2);
    }

    [Fact]
    public void Theory_GivesMeanFieldOrdersPerLayer()
    {
        // tanh with sigma_w^2 = 1/3 and no bias has q* = 0, where chi_1 = sigma_w^2; ReLU + He has chi_1 = 1.
        var (tanhChi, tanhOrders) = DepthScanExperiment.Theory(DepthScanExperiment.Arms[1]);
        var (reluChi, reluOrders) = DepthScanExperiment.Theory(DepthScanExperiment.Arms[2]);

        Assert.Equal(1.0 / 3, tanhChi, 6);
        Assert.Equal(-0.5 * Math.Log10(1.0 / 3), tanhOrders, 6);
        Assert.Equal(1, reluChi, 6);
        Assert.Equal(0, reluOrders, 6);
    }
}
