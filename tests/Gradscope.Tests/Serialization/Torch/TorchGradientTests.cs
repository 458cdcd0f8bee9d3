using Gradscope.Activations;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Layers;
using Gradscope.Serialization;
using Gradscope.Training;

namespace Gradscope.Tests.Serialization.Torch;

/// <summary>
/// Files laid out as PyTorch's state dict writes them load as the network they hold, and
/// <c>inspect</c>'s forward and backward pass gives every tensor the gradient an independent float64
/// computation (<see cref="TorchReference"/>) gives it, in train and eval mode.
/// </summary>
public sealed class TorchGradientTests : IDisposable
{
    private const int Rows = 7;
    private const int Classes = 3;

    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-torch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>nn.Sequential(Linear(3, 5), BatchNorm1d(5), Tanh(), Linear(5, 4), Tanh(), Linear(4, 3)).</summary>
    private static TorchModel WithBatchNorm() => new TorchModel(11)
        .Linear("0", 3, 5).BatchNorm("1", 5).Parameterless("2", TorchKind.Tanh)
        .Linear("3", 5, 4).Parameterless("4", TorchKind.Tanh).Linear("5", 4, Classes);

    /// <summary>nn.Sequential(Linear(3, 6), LayerNorm(6), ReLU(), Dropout(0.5), Linear(6, 3)).</summary>
    private static TorchModel WithLayerNormAndDropout() => new TorchModel(12)
        .Linear("0", 3, 6).LayerNorm("1", 6).Parameterless("2", TorchKind.Relu).Parameterless("3", TorchKind.Identity).Linear("4", 6, Classes);

    /// <summary>A wrapper's <c>self.net = nn.Sequential(Flatten(), Linear(3, 5), BatchNorm1d(5), ReLU(), Dropout(), Linear(5, 5), ReLU(), Linear(5, 3))</c>.</summary>
    private static TorchModel Wrapped() => new TorchModel(13)
        .Parameterless("net.0", TorchKind.Identity).Linear("net.1", 3, 5).BatchNorm("net.2", 5).Parameterless("net.3", TorchKind.Relu)
        .Parameterless("net.4", TorchKind.Identity).Linear("net.5", 5, 5).Parameterless("net.6", TorchKind.Relu).Linear("net.7", 5, Classes);

    /// <summary>nn.DataParallel(nn.Sequential(Linear(3, 4), Linear(4, 3))): no activation between the two.</summary>
    private static TorchModel AdjacentLinears() => new TorchModel(14).Linear("module.0", 3, 4).Linear("module.1", 4, Classes);

    public static TheoryData<string, bool> Cases => new()
    {
        { "batchnorm", true }, { "batchnorm", false },
        { "layernorm-dropout", true }, { "layernorm-dropout", false },
        { "wrapped", true }, { "wrapped", false },
        { "adjacent", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Inspection_OfTorchSequential_MatchesReferenceForEveryTensor(string name, bool train)
    {
        var (model, activation) = name switch
        {
            "batchnorm" => (WithBatchNorm(), "tanh"),
            "layernorm-dropout" => (WithLayerNormAndDropout(), "relu"),
            "wrapped" => (Wrapped(), "relu"),
            _ => (AdjacentLinears(), (string?)null),
        };
        var loaded = ModelFile.Load<double>(model.Write(_dir), activation is null ? null : Activation.Parse(activation));
        AssertMatchesReference(model, loaded.Network, train);
    }

    [Fact]
    public void Inspection_OfSpecDescribedModel_MatchesReferenceForEveryTensor()
    {
        // class Net: encoder = Sequential(fc1: Linear, norm: LayerNorm), relu, encoder2 (fc: Linear, bn: BatchNorm1d), tanh, head: Linear.
        var model = new TorchModel(15)
            .Linear("encoder.fc1", 3, 5).LayerNorm("encoder.norm", 5).Parameterless("relu", TorchKind.Relu)
            .Linear("encoder2.fc", 5, 4).BatchNorm("encoder2.bn", 4).Parameterless("tanh", TorchKind.Tanh).Linear("head", 4, Classes);
        var spec = ModelSpecJson.Parse("""
            {"layers": [
              {"type": "dense", "units": 5, "module": "encoder.fc1"}, {"type": "layernorm", "module": "encoder.norm"},
              {"type": "activation", "name": "relu"},
              {"type": "dense", "units": 4, "module": "encoder2.fc"}, {"type": "batchnorm", "module": "encoder2.bn"},
              {"type": "activation", "name": "tanh"}],
             "output": {"module": "head"}}
            """);
        string path = model.Write(_dir);
        var loaded = ModelFile.Load<double>(path, spec: spec);
        Assert.Equal(3, loaded.Spec.InputSize);
        Assert.Equal(Classes, loaded.Spec.OutputSize);
        AssertMatchesReference(model, loaded.Network, train: true);

        // A training pass moves the running statistics, as in PyTorch; eval starts from the file's.
        AssertMatchesReference(model, ModelFile.Load<double>(path, spec: spec).Network, train: false);
    }

    [Fact]
    public void Inspection_Layers_AreNamedByTheFilesModulePaths()
    {
        var loaded = ModelFile.Load<double>(Wrapped().Write(_dir), Activation.Parse("relu"));
        var result = Inspection.Run(loaded.Network, Data(3));
        Assert.Equal(["net.1", "net.5", "net.7"], result.Layers.Select(l => l.Name));
        Assert.Equal(["net.1", "net.2", "net.3", "net.5", "net.6", "net.7"], LayerTree.Leaves(loaded.Network).Select(l => l.Path));
        Assert.Equal("3-dense5-batchnorm-relu-dense5-relu-3", loaded.Spec.Describe());
    }

    [Fact]
    public void EvalMode_UsesRunningStatistics_TrainModeTheBatchs()
    {
        var model = WithBatchNorm();
        var loaded = ModelFile.Load<double>(model.Write(_dir), Activation.Parse("tanh"));
        double train = Inspection.Run(loaded.Network, Data(3), InspectionMode.Train).Loss;
        double eval = Inspection.Run(loaded.Network, Data(3), InspectionMode.Eval).Loss;
        Assert.NotEqual(train, eval, 6);
    }

    private static void AssertMatchesReference(TorchModel model, Sequential<double> network, bool train)
    {
        var data = Data(model.Inputs);
        var x = new double[Rows][];
        for (int r = 0; r < Rows; r++)
            x[r] = data.Features.AsSpan(r * model.Inputs, model.Inputs).ToArray();
        var (loss, expected) = TorchReference.Run(model, x, [.. data.Labels], train);

        var result = Inspection.Run(network, data, train ? InspectionMode.Train : InspectionMode.Eval);
        Assert.Equal(loss, result.Loss, 1e-12);

        // Every trainable tensor, by its name in the file, in the file's order; running statistics are buffers, not parameters.
        Assert.Equal(model.TrainableNames(), result.Parameters.Select(p => p.Name));
        foreach (var parameter in result.Parameters)
        {
            double norm = Math.Sqrt(expected[parameter.Name].Sum(g => g * g));
            Assert.True(Math.Abs(norm - parameter.GradNorm) <= 1e-10 * Math.Max(norm, 1e-3), $"{parameter.Name}: {parameter.GradNorm} vs {norm}");
        }

        foreach (var leaf in LayerTree.Leaves(network))
        {
            foreach (var p in leaf.Layer.Parameters)
            {
                var want = expected[leaf.Path + "." + p.Name];
                var got = p.Grad.Span;
                Assert.Equal(want.Length, got.Length);
                for (int i = 0; i < want.Length; i++)
                    Assert.True(Math.Abs(want[i] - got[i]) <= 1e-11, $"{leaf.Path}.{p.Name}[{i}]: {got[i]} vs {want[i]}");
            }
        }
    }

    private static Dataset Data(int features)
    {
        var rng = new SeededRandom(99);
        var x = new double[Rows * features];
        for (int i = 0; i < x.Length; i++)
            x[i] = rng.NextGaussian(0, 1.2);
        int[] labels = [0, 2, 1, 2, 0, 1, 1];
        return new Dataset("torch", x, labels, features, Classes);
    }
}
