using Gradscope.Diagnostics;
using Gradscope.Training;

namespace Gradscope.Tests.Diagnostics;

public sealed class FixTrialsTests
{
    [Fact]
    public void DeepSigmoid_ReluHeRemedy_RecoversGradientAndLoss()
    {
        var config = new RunConfig
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
        Assert.Equal("relu", relu.Config.Activation);
        Assert.Equal(config.Seed, relu.Config.Seed);
    }
}
