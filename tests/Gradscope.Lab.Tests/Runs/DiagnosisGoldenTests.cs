using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Layers;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Runs;

/// <summary>Known-bad networks yield the expected finding with its numbers; known-good ones yield none.</summary>
public sealed class DiagnosisGoldenTests
{
    private static TestFlags Deep(string activation, string init, int depth = 20, int steps = 60) => new()
    {
        Data = "spiral",
        Hidden = Enumerable.Repeat(32, depth).ToArray(),
        Activation = activation,
        Init = init,
        Epochs = 100,
        MaxSteps = steps,
        Seed = 1,
    };

    private static MonitoredRunResult Run(TestFlags config) => MonitoredRun.Run(config, MonitorOptions.For(MonitorPreset.Cheap));

    [Fact]
    public void DeepSigmoidNet_IsDiagnosedVanishing()
    {
        var result = Run(Deep("sigmoid", "standard"));
        var finding = result.Report.Find(FindingKind.Vanishing);
        Assert.NotNull(finding);
        Assert.Equal(Severity.Error, finding.Severity);
        double factor = finding.Evidence["per_layer_factor"];
        double weightScale = finding.Evidence["weight_scale"];
        Assert.True(factor <= 0.25 * weightScale, $"factor {factor} vs 0.25 x weight scale {weightScale}");
        Assert.True(finding.Evidence["orders_lost"] > 10, $"orders lost {finding.Evidence["orders_lost"]}");
        Assert.Contains("sigmoid's derivative is at most 0.25; 20 layers multiply up to 0.25^20", finding.Cause);
        Assert.Equal("relu-he", finding.Remedies[0].Id);
        Assert.False(result.Report.Healthy);
        Assert.NotNull(result.Report.Find(FindingKind.StalledLayers));
    }

    [Fact]
    public void DeepSigmoidNet_EvidenceCitesMeanFieldPrediction()
    {
        var finding = Run(Deep("sigmoid", "standard")).Report.Find(FindingKind.Vanishing);

        // Standard init gives sigma_w^2 = 1/3; sigmoid' <= 1/4, so chi_1 = E[phi'^2] / 3 is about 0.02.
        Assert.NotNull(finding);
        double chi1 = finding.Evidence["predicted_chi1"];
        Assert.True(chi1 < 1, $"predicted chi1 {chi1}");
        Assert.InRange(chi1, 0.015, 0.025);
        Assert.Equal(-10 * Math.Log10(chi1), finding.Evidence["predicted_orders_lost"], 9);
        Assert.Contains("mean-field theory predicted chi_1 = 0.02", finding.Cause);
    }

    [Fact]
    public void DeepReluHeNet_HasNoVanishing()
    {
        var result = Run(Deep("relu", "he-normal"));
        Assert.Null(result.Report.Find(FindingKind.Vanishing));
        Assert.Null(result.Report.Find(FindingKind.Exploding));
    }

    [Fact]
    public void LargeGain_IsDiagnosedExploding()
    {
        var result = Run(Deep("relu", "he-normal:gain=4", depth: 12, steps: 5) with { LearningRate = 1e-6 });
        var finding = result.Report.Find(FindingKind.Exploding);
        Assert.NotNull(finding);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.True(finding.Evidence["orders_gained_across_depth"] > 4, $"orders gained {finding.Evidence["orders_gained_across_depth"]}");
        Assert.True(finding.Evidence["per_layer_factor"] > 2);
    }

    [Fact]
    public void ReluWithNegativeBiases_HasDeadUnits()
    {
        var result = Run(Deep("relu", "he-normal:bias=-5", depth: 6, steps: 20));
        var finding = result.Report.Find(FindingKind.DeadUnits);
        Assert.NotNull(finding);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal(1.0, finding.Evidence["max_dead_fraction"]);
        Assert.Contains(0, finding.Layers);
    }

    [Fact]
    public void TanhWithLargeWeightVariance_IsSaturated()
    {
        var result = Run(Deep("tanh", "normal:1", depth: 6, steps: 20));
        var finding = result.Report.Find(FindingKind.Saturation);
        Assert.NotNull(finding);
        Assert.True(finding.Evidence["max_saturated_fraction"] >= 0.5, $"saturated {finding.Evidence["max_saturated_fraction"]}");
        Assert.Equal("recommended-init", finding.Remedies[0].Id);
    }

    [Fact]
    public void NanInjectedMidTraining_IsLocatedAtItsStepAndLayer()
    {
        var run = PreparedRun<float>.Create(Deep("relu", "he-normal", depth: 4, steps: 30));
        var result = MonitoredRun.Run(run, MonitorOptions.For(MonitorPreset.Cheap), null, null, new NanInjector(afterStep: 10, layerIndex: 2));
        Assert.Equal(TrainingStatus.Diverged, result.Training.Status);
        var first = result.Trace.FirstNonFinite;
        Assert.NotNull(first);
        Assert.Equal(11, first.Step);
        Assert.Equal(1, first.Layer); // dense layer 1 is module index 2
        Assert.Equal("activation", first.Where);
        var finding = result.Report.Find(FindingKind.NonFinite);
        Assert.NotNull(finding);
        Assert.Contains("at step 11 in the activation of layer 2 (2).", finding.Cause);
        Assert.Equal(2, finding.Evidence["layer"]); // the same number as in the text and in "layers"
        Assert.Equal([new LayerRef(2, "2")], finding.LayerRefs);
    }

    [Fact]
    public void HealthyShallowNet_HasNoFinding()
    {
        var config = new TestFlags { Data = "spiral", Hidden = [32, 32], Activation = "relu", Init = "he-normal", Epochs = 30, Seed = 1 };
        var result = Run(config);
        Assert.Empty(result.Report.Findings);
        Assert.True(result.Report.Healthy);
    }

    [Fact]
    public void TanhGlorotAtModerateDepth_HasNoError()
    {
        var result = Run(Deep("tanh", "glorot-uniform", depth: 10, steps: 200));
        Assert.True(result.Report.Healthy, string.Join("; ", result.Report.Findings));
    }

    private sealed class NanInjector(int afterStep, int layerIndex) : ITrainingObserver<float>
    {
        public void OnGradients(Sequential<float> model, in StepInfo step)
        {
        }

        public void OnStepEnd(Sequential<float> model, in StepInfo step)
        {
            if (step.Step == afterStep)
                ((Dense<float>)model.Layers[layerIndex]).Weight.Value[0, 0] = float.NaN;
        }

        public void OnEpochEnd(EpochResult epoch)
        {
        }
    }
}
