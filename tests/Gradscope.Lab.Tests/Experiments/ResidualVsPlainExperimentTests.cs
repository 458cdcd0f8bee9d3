using Gradscope.Lab.Experiments;
using Gradscope.Lab.Runs;
using Gradscope.Optimizers;
using Gradscope.Training;
using Xunit.Abstractions;

namespace Gradscope.Lab.Tests.Experiments;

[Collection(ExperimentCollection.Name)]
public sealed class ResidualVsPlainExperimentTests(ITestOutputHelper output)
{
    [ExperimentFact]
    [Trait("Category", "Experiments")]
    public void QuickRun_PlainStallsAtChance_ResidualAndBatchNormTrain()
    {
        var result = ExperimentRuns.Quick(new ResidualVsPlainExperiment(), output);
        ExperimentRuns.AllPassed(result);

        // Depths 30 and 50: four variants each, plus the deepest plain network's gradient ratio.
        Assert.Equal(9, result.Expectations.Count);
        Assert.Equal(12, result.Cells.Rows.Count);
        Assert.Equal(12, result.Runs.Count);
        Assert.Equal([10, 10, 10, 10, 30, 30, 30, 30, 50, 50, 50, 50], ExperimentRuns.Column(result.Cells, "depth").Select(v => (int)v.Number));
        var variants = ExperimentRuns.Column(result.Cells, "variant").Select(v => v.Text).ToList();
        var orders = ExperimentRuns.Column(result.Cells, "orders_lost").Select(v => v.Number).ToList();
        int plain50 = 8, residual50 = 9;
        Assert.Equal(("plain", "residual"), (variants[plain50], variants[residual50]));
        Assert.Contains("Vanishing", ExperimentRuns.Column(result.Cells, "findings")[plain50].Text);
        Assert.True(orders[residual50] < orders[plain50] - 3, $"residual loses {orders[residual50]:F1} orders, plain {orders[plain50]:F1}");
    }

    [Fact]
    public void Expectations_NoRows_NoneChecked_PlainThatTrains_Fails()
    {
        Assert.Empty(ResidualVsPlainExpectations.Check([]));
        ResidualVsPlainRow[] rows = [Row(30, "plain", loss: 0.4, ratio: 1e-9), Row(30, "residual", loss: 0.2, ratio: 0.1, accuracy: 0.9)];
        var checks = ResidualVsPlainExpectations.Check(rows);
        Assert.Equal(3, checks.Count);
        Assert.False(checks[0].Passed);
        Assert.Equal("final loss 0.4000 (ln 3 = 1.0986), accuracy 50.0%", checks[0].Measured);
        Assert.True(checks[1].Passed);
        Assert.True(checks[2].Passed);
        Assert.Contains("1.00e-09", checks[2].Measured);
    }

    [Fact]
    public void Expectations_TrainsIsJudgedByAccuracyAtTwiceChance()
    {
        // Seed 2's batch-norm network at depth 30: loss still falling at 0.70, accuracy 75.4%.
        ResidualVsPlainRow[] rows = [Row(30, "batch-norm", loss: 0.7043, ratio: 0.1, accuracy: 0.754), Row(30, "residual", loss: 0.45, ratio: 0.1, accuracy: 0.6)];

        var checks = ResidualVsPlainExpectations.Check(rows);

        Assert.True(checks[0].Passed);
        Assert.Equal("batch-norm trains at depth 30 (accuracy >= 66.7%, twice chance)", checks[0].Name);
        Assert.False(checks[1].Passed);
    }

    [Fact]
    public void Expectations_DeepestPlainMissing_Fails()
    {
        var checks = ResidualVsPlainExpectations.Check([Row(50, "residual", loss: 0.2, ratio: 0.1)]);
        Assert.False(checks[^1].Passed);
        Assert.Equal("no plain run at that depth", checks[^1].Measured);
    }

    [Fact]
    public void Run_UnknownVariant_IsRejected()
    {
        var ex = Assert.Throws<GradscopeException>(() => ResidualVsPlainRuns.Run(new ResidualVsPlainOptions { Variants = ["densenet"] }));
        Assert.Equal("Unknown variant 'densenet'. Valid variants: plain, residual, batch-norm, residual+batch-norm.", ex.Message);
    }

    [Fact]
    public void CreateConfig_Residual_IsDeepSigmoidAdamInFloat64()
    {
        var config = ResidualVsPlainRuns.CreateConfig(new ResidualVsPlainOptions(), 20, "residual+batch-norm");
        Assert.Equal(20, config.DenseWidths().Count);
        var layers = config.Network.Layers;
        Assert.Equal("sigmoid", config.Network.FirstActivation!.Name);
        Assert.Contains(layers, l => l is ResidualSpec);
        Assert.Contains(layers, l => l is NormSpec { Kind: NormKind.Batch } || (l is ResidualSpec r && r.Layers.Any(b => b is NormSpec { Kind: NormKind.Batch })));
        Assert.Equal((OptimizerKind.Adam, 0.001, NumberType.Float64), (config.Optimizer.Kind, config.Optimizer.LearningRate, config.DType));
    }

    private static ResidualVsPlainRow Row(int depth, string variant, double loss, double ratio, double accuracy = 0.5) =>
        new(depth, variant, ratio, -Math.Log10(ratio), loss, accuracy, [], 0, null!);
}
