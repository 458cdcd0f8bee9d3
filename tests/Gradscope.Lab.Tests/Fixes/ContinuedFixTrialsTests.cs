using Gradscope.Diagnostics;
using Gradscope.Lab.Fixes;
using Gradscope.Lab.Runs;
using Gradscope.Layers;
using Gradscope.Serialization;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Fixes;

// --try-fixes on a model file: each trial rewrites the diagnosed network and starts from its weights
// wherever the rewrite keeps a tensor (same module path and shape).
public sealed class ContinuedFixTrialsTests
{
    private static RunSpec Diagnosed(int depth = 4) => RunLayerPaths.Pin(new TestFlags
    {
        Data = "spiral",
        Hidden = Enumerable.Repeat(16, depth).ToArray(),
        Activation = "sigmoid",
        Init = "standard",
        Epochs = 10,
        MaxSteps = 30,
        TestSplit = 0,
        Seed = 3,
    });

    private static Dictionary<string, float[]> Tensors(Sequential<float> network)
    {
        var result = new Dictionary<string, float[]>();
        foreach (var t in ModelFile.StateDict(network))
            result[t.Name] = t.Values.Select(v => (float)v).ToArray();
        return result;
    }

    private static (PreparedRun<float> Trial, WeightTransfer Transfer, Dictionary<string, float[]> Before, Dictionary<string, float[]> Fresh) TryRemedy(Remedy remedy)
    {
        var config = Diagnosed();
        var diagnosed = PreparedRun<float>.Create(config);
        var weights = StartingWeights.Of(diagnosed.Network, "model.safetensors");
        var rewritten = RemedyRewriter.Apply(config, remedy);
        var trial = PreparedRun<float>.Create(rewritten);
        var fresh = Tensors(trial.Network);
        var transfer = weights.LoadInto(trial.Network, LayerPaths.Reinitialized(config.Network.Layers, rewritten.Network.Layers));
        return (trial, transfer, Tensors(diagnosed.Network), fresh);
    }

    // "Switch to ReLU with He initialization" draws the hidden dense layers it changes from He
    // normal, so the title holds on continued weights too; the output layer keeps the file's.
    [Theory]
    [InlineData("relu-he")]
    [InlineData("gelu-he")]
    [InlineData("leaky-relu-he")]
    [InlineData("tanh-glorot")]
    public void ActivationSwapTrial_ReinitializesTheHiddenDenseLayers_KeepsTheOutputLayer(string id)
    {
        var (trial, transfer, before, fresh) = TryRemedy(Remedies.Get(id));

        var after = Tensors(trial.Network);
        Assert.Equal(before.Keys, after.Keys);
        foreach (string module in (string[])["0", "2", "4", "6"])
        {
            Assert.Equal(fresh[module + ".weight"], after[module + ".weight"]);
            Assert.NotEqual(before[module + ".weight"], after[module + ".weight"]);
        }

        Assert.Equal(before["8.weight"], after["8.weight"]);
        Assert.Equal(["8.weight", "8.bias"], transfer.Kept);
        Assert.Equal(8, transfer.Initialized.Count);
    }

    [Fact]
    public void InitRemedy_ReinitializesExactlyTheDenseLayersItNames()
    {
        var (trial, transfer, before, fresh) = TryRemedy(Remedies.RecommendedInit);

        var after = Tensors(trial.Network);
        string[] named = ["0", "2", "4", "6"];
        foreach (string module in named)
        {
            Assert.Equal(fresh[module + ".weight"], after[module + ".weight"]);
            Assert.NotEqual(before[module + ".weight"], after[module + ".weight"]);
        }

        Assert.Equal(before["8.weight"], after["8.weight"]); // the output layer is not named: kept
        Assert.Equal(before["8.bias"], after["8.bias"]);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "6.weight", "6.bias"], transfer.Initialized);
        Assert.Equal(["8.weight", "8.bias"], transfer.Kept);
    }

    [Fact]
    public void BatchNormTrial_InsertedNormsStartAtDefaults_DenseWeightsKept()
    {
        var (trial, transfer, before, _) = TryRemedy(Remedies.BatchNorm);

        var after = Tensors(trial.Network);
        foreach (var (name, values) in before)
            Assert.Equal(values, after[name]);
        var norms = LayerTree.OfType<BatchNorm<float>, float>(trial.Network);
        Assert.Equal(4, norms.Count);
        foreach (var norm in norms)
        {
            Assert.All(norm.Weight.Value.Span.ToArray(), g => Assert.Equal(1f, g));
            Assert.All(norm.Bias.Value.Span.ToArray(), b => Assert.Equal(0f, b));
            Assert.All(norm.RunningMean.Span.ToArray(), m => Assert.Equal(0f, m));
            Assert.All(norm.RunningVariance.Span.ToArray(), v => Assert.Equal(1f, v));
        }

        Assert.Equal(10, transfer.Kept.Count);
        Assert.Equal(16, transfer.Initialized.Count);
    }

    [Fact]
    public void ResidualTrial_KeepsTheDenseWeightsItWraps()
    {
        var (trial, transfer, before, _) = TryRemedy(Remedies.Residual);

        var after = Tensors(trial.Network);
        foreach (var (name, values) in before)
            Assert.Equal(values, after[name]);
        Assert.Equal(2, trial.Network.Layers.Count(l => l is Residual<float>));
        Assert.Equal(10, transfer.Kept.Count);
        Assert.Empty(transfer.Initialized);
    }

    [Fact]
    public void Run_WithStartingWeights_ReportsWhatEachTrialKept()
    {
        var config = Diagnosed(depth: 10);
        var diagnosed = PreparedRun<float>.Create(config);
        var weights = StartingWeights.Of(diagnosed.Network, "model.safetensors");
        var baseline = MonitoredRun.Run(diagnosed, MonitorOptions.For(MonitorPreset.Cheap));

        var trials = FixTrials.Run(baseline, data: null, maxRemedies: 8, weights: weights);

        Assert.NotEmpty(trials);
        foreach (var trial in trials)
        {
            Assert.NotNull(trial.Weights);
            Assert.Equal("model.safetensors", trial.Weights.Source);
            int expectedInitialized = trial.Remedy!.Id switch { "recommended-init" or "relu-he" or "gelu-he" or "leaky-relu-he" or "tanh-glorot" => 20, "batch-norm" => 40, _ => 0 };
            Assert.Equal(expectedInitialized, trial.Weights.Initialized.Count);
        }
    }
}
