using Gradscope.Activations;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Lab.Fixes;
using Gradscope.Lab.Runs;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Runs;

/// <summary>
/// Diagnosis reads the network that was trained, not the flags: causes name its real activation
/// and remedies are chosen for it, however it was described.
/// </summary>
public sealed class NetworkAwareDiagnosisTests
{
    private static string SigmoidSpec(int depth)
    {
        var layers = new List<string>();
        for (int i = 0; i < depth; i++)
            layers.Add("""{"type": "dense", "units": 16}, {"type": "activation", "name": "sigmoid"}""");
        return "{\"layers\": [" + string.Join(", ", layers) + "]}";
    }

    private static MonitoredRunResult Run(TestFlags config) => MonitoredRun.Run(config, MonitorOptions.For(MonitorPreset.Cheap));

    [Fact]
    public void SigmoidModelSpec_IsDiagnosedAsSigmoidNotAsTheFlagsActivation()
    {
        // The flags still say relu (their default); the spec's layers are what was trained.
        var result = Run(new TestFlags { ModelSpec = SigmoidSpec(8), Init = "standard", MaxSteps = 30, Seed = 1 });
        var finding = result.Report.Find(FindingKind.Vanishing);

        Assert.NotNull(finding);
        Assert.Contains("sigmoid's derivative is at most 0.25", finding.Cause, StringComparison.Ordinal);
        Assert.DoesNotContain("relu", finding.Cause, StringComparison.Ordinal);
        var ids = finding.Remedies.Select(r => r.Id).ToList();
        Assert.Equal("relu-he", ids[0]);
        Assert.Contains("tanh-glorot", ids);
    }

    [Fact]
    public void SigmoidModelSpec_ActivationRemedyRewritesTheSpecsLayers()
    {
        var config = new TestFlags { ModelSpec = SigmoidSpec(3), Init = "standard" };
        var fixedConfig = RemedyRewriter.Apply(config, Remedies.ReluHe);
        var activations = fixedConfig.Network.Layers.OfType<ActivationSpec>().Select(a => a.Activation.Name).Distinct().ToList();
        Assert.Equal(["relu"], activations);
        Assert.Equal("he-normal", fixedConfig.Init.Name);
        Assert.Equal(3, fixedConfig.Network.Layers.OfType<DenseSpec>().Count());
    }

    [Fact]
    public void ResidualNetwork_IsNeverOfferedResidualConnections()
    {
        var config = new TestFlags { Hidden = Enumerable.Repeat(16, 9).ToArray(), Activation = "sigmoid", Init = "standard", Residual = true, MaxSteps = 30 };
        var result = Run(config);
        Assert.NotEmpty(result.Report.Findings);
        foreach (var finding in result.Report.Findings)
            Assert.DoesNotContain(finding.Remedies, r => r.Id == "residual");
    }

    [Fact]
    public void ReluHeNetwork_IsNeverOfferedItsOwnInitialization()
    {
        // A learning rate this large blows the network up: NonFinite and Exploding findings.
        var result = Run(new TestFlags { Hidden = [32, 32, 32, 32], Activation = "relu", Init = "he-normal", LearningRate = 1e3, MaxSteps = 20 });
        Assert.NotEmpty(result.Report.Findings);
        foreach (var finding in result.Report.Findings)
            Assert.DoesNotContain(finding.Remedies, r => r.Id == "recommended-init");
    }

    [Fact]
    public void TryFixes_OnResidualBatchNormNetwork_KeepBothInEveryTrial()
    {
        // A learning rate this large blows the network up: the remedies are tried on the same architecture.
        var data = SyntheticData.Spiral(300, 3, 0.2, seed: 1);
        var config = new TestFlags { Hidden = [16, 16, 16, 16, 16], Activation = "tanh", Init = "standard", LearningRate = 1e4, Residual = true, Norm = "batch", MaxSteps = 20, TestSplit = 0 };
        var baseline = MonitoredRun.Run(config, MonitorOptions.For(MonitorPreset.Cheap), data);
        var trials = FixTrials.Run(baseline, data, maxRemedies: 3);

        Assert.NotEmpty(trials);
        foreach (var trial in trials)
        {
            var layout = trial.Spec.Network.Layers;
            Assert.Contains(layout, l => l is ResidualSpec);
            Assert.Contains(Flatten(layout), l => l is NormSpec { Kind: NormKind.Batch });
            Assert.NotEqual("residual", trial.Remedy!.Id);
            Assert.NotEqual("batch-norm", trial.Remedy!.Id);
        }
    }

    [Fact]
    public void OfferedRemedies_AlwaysChangeTheNetwork_OverRandomLayerLists()
    {
        var random = new Random(20261205);
        string[] inits = ["standard", "he-normal", "glorot-uniform", "lecun-normal", "he-normal:bias=-1", "normal:0.5"];
        for (int trial = 0; trial < 400; trial++)
        {
            var layers = RandomLayers(random, depth: 0);
            RunSpec config = new TestFlags { ModelSpec = ModelSpecJson.Write(null, layers, null), Init = inits[random.Next(inits.Length)] };
            var facts = NetworkFacts.For(NetworkSpec.FromLayers(2, layers, 3), config.Init);
            IReadOnlyList<Remedy>[] offered =
            [
                RemedyChoice.Vanishing(facts), RemedyChoice.Saturation(facts), RemedyChoice.DeadUnits(facts),
                RemedyChoice.Exploding(facts, true), RemedyChoice.Exploding(facts, false), RemedyChoice.Stalled(facts), RemedyChoice.NonFinite(facts),
            ];
            foreach (var remedies in offered)
            {
                foreach (var remedy in remedies)
                    Assert.True(RemedyRewriter.Changes(config, remedy), $"{remedy.Id} changes nothing for {ModelSpecJson.Write(null, layers, null)} with {config.Init.ToSpec()}");
            }
        }
    }

    [Fact]
    public void FlagAndLayerRewrites_BuildTheSameNetwork()
    {
        RunSpec flags = new TestFlags { Hidden = [8, 8, 8, 8, 8], Activation = "tanh", Dropout = 0.1 };
        var asLayers = RunLayerPaths.Pin(flags);
        foreach (var remedy in Remedies.All)
        {
            // A layer list names the dense layers an init remedy re-initializes; they get the network's initializer.
            var (fromFlags, fromLayers) = (RemedyRewriter.Apply(flags, remedy), RemedyRewriter.Apply(asLayers, remedy));
            Assert.Equal(fromFlags.Init, fromLayers.Init);
            Assert.All(LayerPaths.DenseInits(fromLayers.Network.Layers).Values, init => Assert.True(init is null || init == fromLayers.Init, remedy.Id));
            var plain = LayerRewrites.InitializeDense(fromLayers.Network.Layers, null);
            Assert.True(LayerRewrites.SameLayout(fromFlags.Network.Layers, plain), remedy.Id);
        }
    }

    private static List<LayerSpec> RandomLayers(Random random, int depth)
    {
        string[] activations = ["sigmoid", "tanh", "relu", "leaky-relu", "gelu", "selu", "identity"];
        var layers = new List<LayerSpec>();
        int count = random.Next(depth == 0 ? 1 : 1, 5);
        for (int i = 0; i < count; i++)
        {
            layers.Add(new DenseSpec(random.Next(1, 9)));
            if (random.Next(3) == 0)
                layers.Add(new NormSpec(random.Next(2) == 0 ? NormKind.Batch : NormKind.Layer));
            if (random.Next(5) > 0)
                layers.Add(new ActivationSpec(Activation.Parse(activations[random.Next(activations.Length)])));
            if (random.Next(4) == 0)
                layers.Add(new DropoutSpec(0.1));
            if (depth == 0 && random.Next(4) == 0)
                layers.Add(new ResidualSpec(RandomLayers(random, depth + 1)));
        }

        return layers;
    }

    private static IEnumerable<LayerSpec> Flatten(IReadOnlyList<LayerSpec> layers)
    {
        foreach (var layer in layers)
        {
            yield return layer;
            if (layer is ResidualSpec residual)
            {
                foreach (var inner in Flatten(residual.Layers))
                    yield return inner;
            }
        }
    }
}
