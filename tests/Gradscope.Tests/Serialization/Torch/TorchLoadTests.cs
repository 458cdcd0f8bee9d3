using Gradscope.Activations;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Layers;
using Gradscope.Serialization;
using Gradscope.Serialization.Safetensors;
using Gradscope.Training;

namespace Gradscope.Tests.Serialization.Torch;

/// <summary>What loads from a PyTorch state dict as it is, what does not, and what the messages say.</summary>
public sealed class TorchLoadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-torchload-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void BatchNormSequential_Loads()
    {
        // Was: "tensor '1.weight' has shape [8]; a Linear weight is [out, in]".
        var model = new TorchModel(1).Linear("0", 4, 8).BatchNorm("1", 8).Parameterless("2", TorchKind.Relu).Linear("3", 8, 3);
        var loaded = ModelFile.Load<float>(model.Write(_dir), Activation.Parse("relu"));
        Assert.Equal("4-dense8-batchnorm-relu-3", loaded.Spec.Describe());
        var norm = Assert.Single(LayerTree.OfType<BatchNorm<float>, float>(loaded.Network));
        Assert.Equal(17, norm.BatchesTracked);
        Assert.Equal(model.Modules[1].Tensors["running_var"].Values.Select(v => (float)v), norm.RunningVariance.Span.ToArray());
        Assert.Equal(1e-5, norm.Epsilon);
        Assert.Equal(0.1, norm.Momentum);
    }

    [Theory]
    [InlineData("net.")]
    [InlineData("model.")]
    [InlineData("module.")]
    [InlineData("module.net.")]
    public void WrappedSequential_LoadsUnderItsPrefix(string prefix)
    {
        // Was: "tensor 'net.0.weight' is not named like an nn.Sequential entry".
        var model = new TorchModel(2).Linear(prefix + "0", 4, 8).Parameterless(prefix + "1", TorchKind.Relu).Linear(prefix + "2", 8, 3);
        var loaded = ModelFile.Load<float>(model.Write(_dir), Activation.Parse("relu"));
        Assert.Equal([prefix + "0", prefix + "2"], MonitoredLayers.Find(loaded.Network).Select(l => l.Name));
    }

    [Fact]
    public void DropoutAndFlattenGaps_KeepTheFilesIndexes()
    {
        // Was: layers 1 and 4 reported as "0" and "2".
        var model = new TorchModel(3).Parameterless("0", TorchKind.Identity).Linear("1", 4, 8).Parameterless("2", TorchKind.Relu)
            .Parameterless("3", TorchKind.Identity).Linear("4", 8, 3);
        var loaded = ModelFile.Load<float>(model.Write(_dir), Activation.Parse("relu"));
        Assert.Equal(["1", "4"], MonitoredLayers.Find(loaded.Network).Select(l => l.Name));
        Assert.Equal(["1", "2", "4"], LayerTree.Leaves(loaded.Network).Select(l => l.Path));
    }

    [Fact]
    public void AdjacentLinearIndexes_HaveNoActivationBetween()
    {
        // Was: an activation silently inserted between 0 and 1.
        var model = new TorchModel(4).Linear("0", 4, 8).Linear("1", 8, 3);
        var loaded = ModelFile.Load<float>(model.Write(_dir), Activation.Parse("relu"));
        Assert.Empty(LayerTree.OfType<ActivationLayer<float>, float>(loaded.Network));
        Assert.Equal("4-dense8-3", loaded.Spec.Describe());
        Assert.Equal("4-dense8-3", ModelFile.Load<float>(model.Write(_dir)).Spec.Describe()); // nothing to name, so no --activation needed
    }

    [Fact]
    public void PlainChain_IsThePlainDenseSpecItAlwaysWas()
    {
        var model = new TorchModel(5).Linear("0", 2, 4).Parameterless("1", TorchKind.Tanh).Linear("2", 4, 3);
        var loaded = ModelFile.Load<double>(model.Write(_dir), Activation.Parse("tanh"));
        Assert.True(loaded.Spec.IsPlainDense);
        Assert.Equal("2-4-3 tanh", loaded.Spec.Describe());
    }

    [Fact]
    public void LinearWithoutBias_LoadsWithZeroBias()
    {
        var model = new TorchModel(6).Linear("0", 2, 4, bias: false).Parameterless("1", TorchKind.Tanh).Linear("2", 4, 3);
        var loaded = ModelFile.Load<double>(model.Write(_dir), Activation.Parse("tanh"));
        Assert.All(LayerTree.OfType<Dense<double>, double>(loaded.Network)[0].Bias.Value.Span.ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void LoadedTorchNetwork_SavesAndReloadsUnderTheSameNames()
    {
        var model = new TorchModel(7).Linear("net.0", 4, 8).BatchNorm("net.1", 8).Parameterless("net.2", TorchKind.Relu).Linear("net.3", 8, 3);
        var loaded = ModelFile.Load<float>(model.Write(_dir), Activation.Parse("relu"));
        string saved = Path.Combine(_dir, "again.safetensors");
        ModelFile.Save(saved, loaded.Spec, loaded.Network);
        Assert.Equal(model.StateDict().Select(t => t.Name).Order(), SafetensorsFile.Read(saved).Tensors.Select(t => t.Name).Order());
        var reloaded = ModelFile.Load<float>(saved);
        Assert.Equal(["net.0", "net.3"], MonitoredLayers.Find(reloaded.Network).Select(l => l.Name));
    }

    [Fact]
    public void RemedyInsertingNorms_IntoTorchNames_NamesThemApart()
    {
        // Norms inserted at positions 1 and 4 must not take "1" (the file's ReLU) or "4" (its output Linear).
        var rewritten = NetworkSpec.FromLayers(4, LayerRewrites.InsertNorms(TorchLayout(), NormKind.Batch), 3, "4");
        var names = ModelFile.StateDict(rewritten.Build<float>(Initializer.Parse("he-normal"), new SeededRandom(1))).Select(t => t.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(["0.weight", "0.bias", "1_1.weight"], names.Take(3));
        Assert.Contains("4_1.running_mean", names);
        Assert.Equal(["4.weight", "4.bias"], names.TakeLast(2));
    }

    private static List<LayerSpec> TorchLayout() =>
    [
        new DenseSpec(8) { Module = "0" }, new ActivationSpec(Activation.Parse("relu")) { Module = "1" },
        new DenseSpec(8) { Module = "2" }, new ActivationSpec(Activation.Parse("relu")) { Module = "3" },
    ];

    public static TheoryData<string, string> Refused => new()
    {
        { "prefixes", "tensors 'a.0.weight' and 'b.1.weight' sit under different modules ('a.' and 'b.')" },
        { "conv", "module 'conv.0' (tensors weight, bias) is not a layer Gradscope loads from an nn.Sequential: 'conv.0.weight' has shape [4, 2, 3, 3]" },
        { "ends-in-norm", "the last module with tensors, '2', is a norm; a classifier ends in a Linear layer" },
        { "affine-false", "'1' has running statistics but no weight and bias (BatchNorm1d(affine=False)?)" },
        { "no-activation", "keeps no tensors for activations; '1' holds one); name it with --activation" },
        { "chain", "layer '0' outputs 4 features but layer '2' takes 5" },
        { "norm-width", "layer '0' outputs 4 features but layer '1' normalizes 6" },
        { "named", "tensor 'fc1.weight' is not named like an nn.Sequential entry ('0.weight', 'net.2.bias', ...); to load another model, describe the network with --model-spec" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void UnloadableLayouts_SayWhatAndWhere(string layout, string message)
    {
        var model = layout switch
        {
            "prefixes" => new TorchModel(9).Linear("a.0", 2, 4).Linear("b.1", 4, 3),
            "conv" => Conv(),
            "ends-in-norm" => new TorchModel(9).Linear("0", 2, 4).Parameterless("1", TorchKind.Relu).BatchNorm("2", 4),
            "affine-false" => AffineFalse(),
            "no-activation" => new TorchModel(9).Linear("0", 2, 4).Parameterless("1", TorchKind.Relu).Linear("2", 4, 3),
            "chain" => new TorchModel(9).Linear("0", 2, 4).Parameterless("1", TorchKind.Relu).Linear("2", 5, 3),
            "norm-width" => new TorchModel(9).Linear("0", 2, 4).LayerNorm("1", 6).Linear("2", 6, 3),
            _ => new TorchModel(9).Linear("fc1", 2, 4).Linear("fc2", 4, 3),
        };
        var ex = Assert.Throws<GradscopeException>(() => ModelFile.Load<float>(model.Write(_dir), layout == "no-activation" ? null : Activation.Parse("relu")));
        Assert.Contains(message, ex.Message);
        Assert.StartsWith(Path.Combine(_dir, "torch.safetensors"), ex.Message);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'P', (byte)'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0 }, "model.pt", "is a zip archive (what torch.save writes to .pt and .pth files), not a safetensors file")]
    [InlineData(new byte[] { 0x80, 2, (byte)'c', 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "model.pth", "is a Python pickle (what torch.save writes to .pt and .pth files)")]
    public void TorchCheckpoint_SaysHowToSaveSafetensors(byte[] bytes, string name, string message)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<GradscopeException>(() => ModelFile.Load<float>(path, Activation.Parse("relu")));
        Assert.Contains(message, ex.Message);
        Assert.Contains("save_file(model.state_dict(), \"model.safetensors\")", ex.Message);
    }

    private static TorchModel Conv()
    {
        var model = new TorchModel(9);
        model.Modules.Add(new TorchModule("conv.0", TorchKind.Linear, 2, 4, new()
        {
            ["weight"] = ([4, 2, 3, 3], new double[72]),
            ["bias"] = ([4], new double[4]),
        }));
        return model;
    }

    private static TorchModel AffineFalse()
    {
        var model = new TorchModel(9).Linear("0", 2, 4).BatchNorm("1", 4).Linear("2", 4, 3);
        model.Modules[1].Tensors.Remove("weight");
        model.Modules[1].Tensors.Remove("bias");
        return model;
    }
}
