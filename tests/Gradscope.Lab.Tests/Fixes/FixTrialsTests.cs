using Gradscope.Diagnostics;
using Gradscope.Lab.Fixes;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Tests.Fixes;

public sealed class FixTrialsTests
{
    [Fact]
    public void DeepSigmoid_ReluHeRemedy_RecoversGradientAndLoss()
    {
        var config = new TestFlags
        {
            Data = "spiral",
            Hidden = Enumerable.Repeat(32, 20).ToArray(),
            Activation = "sigmoid",
            Init = "standard",
            Epochs = 100,
            MaxSteps = 150,
            Seed = 1,
        };
        var baseline = MonitoredRun.Run(config, MonitorOptions.For(MonitorPreset.Cheap));
        var before = FixTrials.Outcome("as given", null, baseline);
        var outcomes = FixTrials.Run(baseline, data: null, maxRemedies: 3);

        var relu = outcomes.Single(o => o.Remedy?.Id == "relu-he");
        Assert.True(before.OrdersLost - relu.OrdersLost >= 3, $"orders lost {before.OrdersLost:F1} -> {relu.OrdersLost:F1}");
        Assert.True(relu.Loss < before.Loss, $"loss {before.Loss:F3} -> {relu.Loss:F3}");
        Assert.DoesNotContain(relu.FindingsLeft, f => f.Kind == FindingKind.Vanishing);
        Assert.Equal(3, outcomes.Count);
        Assert.Equal("relu-he", outcomes[0].Remedy!.Id);
        Assert.Equal("relu", relu.Spec.Network.FirstActivation!.Name);
        Assert.Equal(config.Seed, relu.Spec.Seed);
    }
}

public sealed class ArchitecturalRemedyTests
{
    [Fact]
    public void FiftyLayerSigmoid_RecommendsAndProvesResidualAndBatchNorm()
    {
        var config = new TestFlags
        {
            Data = "spiral",
            Hidden = Enumerable.Repeat(16, 50).ToArray(),
            Activation = "sigmoid",
            Init = "standard",
            Optimizer = "adam",
            LearningRate = 0.003,
            Epochs = 100,
            MaxSteps = 60,
            Seed = 1,
            UseDouble = true, // at depth 50 sigmoid's gradient (~1e-40) underflows float32
        };
        var baseline = MonitoredRun.Run(config, MonitorOptions.For(MonitorPreset.Cheap));
        var vanishing = baseline.Report.Find(FindingKind.Vanishing);
        Assert.NotNull(vanishing);
        Assert.Contains(vanishing.Remedies, r => r.Id == "batch-norm");
        Assert.Contains(vanishing.Remedies, r => r.Id == "residual");

        var before = FixTrials.Outcome("as given", null, baseline);
        var outcomes = FixTrials.Run(baseline, data: null, maxRemedies: 6);
        foreach (string id in new[] { "batch-norm", "residual" })
        {
            var fix = outcomes.Single(o => o.Remedy?.Id == id);
            Assert.True(before.OrdersLost - fix.OrdersLost >= 3, $"{id}: orders lost {before.OrdersLost:F1} -> {fix.OrdersLost:F1}");
            Assert.True(fix.Loss < before.Loss, $"{id}: loss {before.Loss:F3} -> {fix.Loss:F3}");
        }
    }

    [Fact]
    public void Monitor_SeesDenseLayersInsideResidualBlocks_AndActivationsPastNorms()
    {
        var config = new TestFlags { Data = "spiral", Hidden = [16, 16, 16, 16, 16], Activation = "tanh", Residual = true, Norm = "batch", Epochs = 1, Seed = 1 };
        var run = MonitoredRun.Run(config, MonitorOptions.For(MonitorPreset.Cheap));
        Assert.Equal(6, run.Trace.LayerCount);
        Assert.Contains(run.Trace.LayerNames, n => n.Contains(".body.", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Trace.LayerNames, n => n.Contains("proj", StringComparison.Ordinal));
        Assert.True(run.Trace[LayerStat.ActStd, 0, 0] > 0);
        Assert.True(run.Trace[LayerStat.Saturated, 0, 1] >= 0);
    }
}
