using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Layers;
using Gradscope.Serialization;
using Gradscope.Serialization.Safetensors;
using Gradscope.Tensors;
using Gradscope.Tests.TestSupport;
using Gradscope.Training;

namespace Gradscope.Tests.Serialization;

public sealed class ModelFileRemedyTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gradscope-modelfile-" + Guid.NewGuid().ToString("N"));

    public ModelFileRemedyTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void SaveLoad_BatchNorm_WritesPyTorchNamesAndRestoresRunningStatistics()
    {
        var spec = new NetworkSpec(2, [4, 4], 3, Activation.Parse("relu")) { Norm = NormKind.Batch };
        var network = Trained(spec);
        string path = Save(spec, network);

        var file = SafetensorsFile.Read(path);
        var loaded = ModelFile.Load<double>(path);

        Assert.Equal(
            ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "3.weight", "3.bias", "4.weight", "4.bias", "4.running_mean", "4.running_var", "4.num_batches_tracked", "6.weight", "6.bias"],
            file.Tensors.Select(t => t.Name));
        Assert.Equal("I64", file["1.num_batches_tracked"].DType);
        Assert.Empty(file["1.num_batches_tracked"].Shape);
        Assert.Equal([4], file["4.running_var"].Shape);
        var original = (BatchNorm<double>)network.Layers[4];
        var restored = (BatchNorm<double>)loaded.Network.Layers[4];
        Assert.Equal(3, restored.BatchesTracked);
        Assert.Equal(original.RunningVariance.Span.ToArray(), restored.RunningVariance.Span.ToArray());
        Assert.Equal(original.Weight.Value.Span.ToArray(), restored.Weight.Value.Span.ToArray());
        Assert.Equal(NormKind.Batch, loaded.Spec.Norm);
        AssertSameOutputs(network, loaded.Network);
    }

    [Fact]
    public void SaveLoad_ResidualLayerNormDropout_NestedNamesAndSameOutputs()
    {
        var spec = new NetworkSpec(2, [4, 4, 4, 6], 3, Activation.Parse("tanh")) { Norm = NormKind.Layer, Residual = ResidualStyle.PreActivation, Dropout = 0.2 };
        var network = Trained(spec);
        string path = Save(spec, network);

        var names = SafetensorsFile.Read(path).Tensors.Select(t => t.Name).ToList();
        var loaded = ModelFile.Load<double>(path);

        Assert.Contains("1.body.0.weight", names);
        Assert.Contains("1.body.3.weight", names);
        Assert.Contains("2.proj.weight", names);
        Assert.Contains("3.bias", names);
        Assert.Equal("2-4-4-4-6-3 tanh layer-norm residual dropout 0.2", loaded.Spec.Describe());
        AssertSameOutputs(network, loaded.Network);
    }

    [Fact]
    public void SaveLoad_PostActivationResidual_KeepsTheStyle()
    {
        var spec = new NetworkSpec(2, [4, 4, 4], 3, Activation.Parse("tanh")) { Residual = ResidualStyle.PostActivation };
        var network = Trained(spec);
        var loaded = ModelFile.Load<double>(Save(spec, network));

        Assert.Equal(ResidualStyle.PostActivation, loaded.Spec.Residual);
        AssertSameOutputs(network, loaded.Network);
    }

    [Fact]
    public void SaveLoad_JsonModelSpec_StoresTheLayerListAndRebuildsIt()
    {
        const string Json = "{\"layers\":[{\"type\":\"dense\",\"units\":5},{\"type\":\"batchnorm\"},{\"type\":\"activation\",\"name\":\"gelu\"},"
            + "{\"type\":\"residual\",\"layers\":[{\"type\":\"layernorm\"},{\"type\":\"dense\",\"units\":3}]}]}";
        var spec = NetworkSpec.FromJson(Json, 2, 3);
        var network = Trained(spec);
        string path = Save(spec, network);

        var metadata = SafetensorsFile.Read(path).Metadata[ModelFile.ArchitectureKey];
        var loaded = ModelFile.Load<double>(path);

        Assert.StartsWith("{\"type\":\"spec\",\"input\":2,\"layers\":[{\"type\":\"dense\",\"units\":5}", metadata);
        Assert.Equal(spec.Describe(), loaded.Spec.Describe());
        Assert.Equal(3, ((Residual<double>)loaded.Network.Layers[3]).Projection!.OutputSize);
        AssertSameOutputs(network, loaded.Network);
    }

    [Fact]
    public void Save_PlainNetwork_WritesTheSameTensorsAndMetadataAsBefore()
    {
        var spec = new NetworkSpec(2, [3], 2, Activation.Parse("sigmoid"));
        string path = Save(spec, Trained(spec));

        var file = SafetensorsFile.Read(path);

        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], file.Tensors.Select(t => t.Name));
        Assert.Equal("{\"type\":\"dense\",\"input\":2,\"hidden\":[3],\"output\":2,\"activation\":\"sigmoid\"}", file.Metadata[ModelFile.ArchitectureKey]);
    }

    [Fact]
    public void Load_PlainFileInTheOriginalFormat_StillLoads()
    {
        // Written tensor by tensor, as the first model-file version did.
        string path = Path.Combine(_folder, "old.safetensors");
        SafetensorsFile.Write(path,
        [
            new SafetensorsTensor("0.weight", "F32", [2, 2], [1, 2, 3, 4]),
            new SafetensorsTensor("0.bias", "F32", [2], [0.5, -0.5]),
            new SafetensorsTensor("2.weight", "F32", [1, 2], [1, -1]),
            new SafetensorsTensor("2.bias", "F32", [1], [0.25]),
        ], new Dictionary<string, string> { ["format"] = "pt", [ModelFile.ArchitectureKey] = "{\"type\":\"dense\",\"input\":2,\"hidden\":[2],\"output\":1,\"activation\":\"relu\"}" });

        var loaded = ModelFile.Load<float>(path);
        var x = new Matrix<float>(1, 2);
        x[0, 0] = 1;
        x[0, 1] = 1;

        // h = relu((3, 7) + (0.5, -0.5)) = (3.5, 6.5); y = 3.5 - 6.5 + 0.25.
        Assert.Equal(-2.75f, loaded.Network.Forward(x, training: false)[0, 0]);
        Assert.True(loaded.Spec.IsPlainDense);
    }

    [Fact]
    public void Load_MissingTensor_NamesItAndItsShape()
    {
        var spec = new NetworkSpec(2, [4], 3, Activation.Parse("relu")) { Norm = NormKind.Batch };
        string path = Save(spec, Trained(spec));
        Rewrite(path, tensors => tensors.RemoveAll(t => t.Name == "1.running_var"));

        var ex = Assert.Throws<GradscopeException>(() => ModelFile.Load<float>(path));
        Assert.Equal($"{path}: tensor '1.running_var' is missing; the architecture in the file's metadata needs it with shape [4].", ex.Message);
    }

    [Fact]
    public void Load_WrongShape_NamesBothShapes()
    {
        var spec = new NetworkSpec(2, [4], 3, Activation.Parse("relu")) { Norm = NormKind.Layer };
        string path = Save(spec, Trained(spec));
        Rewrite(path, tensors => tensors[tensors.FindIndex(t => t.Name == "1.weight")] = new SafetensorsTensor("1.weight", "F32", [5], new double[5]));

        var ex = Assert.Throws<GradscopeException>(() => ModelFile.Load<float>(path));
        Assert.Equal($"{path}: tensor '1.weight' has shape [5] but the architecture in the file's metadata needs [4].", ex.Message);
    }

    [Fact]
    public void Load_ExtraTensor_IsNamed()
    {
        var spec = new NetworkSpec(2, [4], 3, Activation.Parse("relu")) { Dropout = 0.5 };
        string path = Save(spec, Trained(spec));
        Rewrite(path, tensors => tensors.Add(new SafetensorsTensor("9.weight", "F32", [1, 1], [1])));

        var ex = Assert.Throws<GradscopeException>(() => ModelFile.Load<float>(path));
        Assert.Equal($"{path}: tensor '9.weight' is not part of the architecture in the file's metadata.", ex.Message);
    }

    [Fact]
    public void Load_UnknownResidualStyle_QuotesIt()
    {
        var spec = new NetworkSpec(2, [4], 3, Activation.Parse("relu")) { Residual = ResidualStyle.PreActivation };
        string path = Save(spec, Trained(spec));
        var file = SafetensorsFile.Read(path);
        SafetensorsFile.Write(path, file.Tensors, new Dictionary<string, string>
        {
            [ModelFile.ArchitectureKey] = "{\"type\":\"dense\",\"input\":2,\"hidden\":[4],\"output\":3,\"activation\":\"relu\",\"residual\":\"sideways\"}",
        });

        var ex = Assert.Throws<GradscopeException>(() => ModelFile.Load<float>(path));
        Assert.Equal($"{path}: metadata 'gradscope.architecture': \"residual\" must be \"pre-activation\" or \"post-activation\"; got \"sideways\".", ex.Message);
    }

    private static Sequential<double> Trained(NetworkSpec spec)
    {
        // Three training batches move the weights, running statistics and batch counts off their defaults.
        var network = spec.Build<double>(Initializer.Parse("he-normal"), new SeededRandom(4));
        var x = GradientCheck.RandomInput(8, spec.InputSize, seed: 5);
        var grad = GradientCheck.RandomInput(8, spec.OutputSize, seed: 6);
        for (int step = 0; step < 3; step++)
        {
            network.ZeroGrad();
            network.Forward(x, training: true);
            network.Backward(grad);
            foreach (var p in network.Parameters)
            {
                for (int i = 0; i < p.Value.Length; i++)
                    p.Value.Span[i] -= 0.1 * p.Grad.Span[i];
            }
        }

        return network;
    }

    private string Save(NetworkSpec spec, Sequential<double> network)
    {
        string path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".safetensors");
        ModelFile.Save(path, spec, network);
        return path;
    }

    private static void Rewrite(string path, Action<List<SafetensorsTensor>> change)
    {
        var file = SafetensorsFile.Read(path);
        var tensors = file.Tensors.ToList();
        change(tensors);
        SafetensorsFile.Write(path, tensors, file.Metadata);
    }

    private static void AssertSameOutputs(Sequential<double> expected, Sequential<double> actual)
    {
        var x = GradientCheck.RandomInput(5, expected.InputSize, seed: 11);
        var a = expected.Forward(x, training: false).Span.ToArray();
        var b = actual.Forward(x, training: false).Span.ToArray();
        Assert.Equal(a, b);
    }
}
