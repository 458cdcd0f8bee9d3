using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Serialization;
using Gradscope.Serialization.Safetensors;
using Gradscope.Training;

namespace Gradscope.Tests.Serialization;

/// <summary>Model files whose values or metadata cannot be what they claim are refused at load, naming the tensor or key.</summary>
public sealed class ModelFileChecksTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-checks-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A saved 2-4-3 network (or 2-4-batchnorm-3), then <paramref name="change"/> applied to its tensors and metadata.</summary>
    private string Saved(Action<Dictionary<string, SafetensorsTensor>, Dictionary<string, string>>? change = null, bool batchNorm = false)
    {
        var spec = new NetworkSpec(2, [4], 3, Activation.Parse("relu")) { Norm = batchNorm ? NormKind.Batch : NormKind.None };
        var network = spec.Build<float>(Initializer.Parse("he-normal"), new SeededRandom(2));
        string path = Path.Combine(_dir, $"m{Guid.NewGuid():N}.safetensors");
        ModelFile.Save(path, spec, network);
        var file = SafetensorsFile.Read(path);
        var tensors = file.Tensors.ToDictionary(t => t.Name);
        var metadata = new Dictionary<string, string>(file.Metadata);
        change?.Invoke(tensors, metadata);
        SafetensorsFile.Write(path, [.. tensors.Values], metadata);
        return path;
    }

    private static SafetensorsTensor WithValue(SafetensorsTensor tensor, int index, double value, string? dtype = null)
    {
        double[] values = (double[])tensor.Values.Clone();
        values[index] = value;
        return new SafetensorsTensor(tensor.Name, dtype ?? tensor.DType, tensor.Shape, values);
    }

    private static string LoadError(string path) => Assert.Throws<GradscopeException>(() => ModelFile.Load<float>(path)).Message;

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void NonFiniteWeight_NamesTensorPositionAndValue(double value, string shown)
    {
        string path = Saved((t, _) => t["0.weight"] = WithValue(t["0.weight"], 3, value));
        Assert.Equal(
            $"{path}: tensor '0.weight' holds {shown} at [1, 1]; a model's values must be finite numbers (was it saved from a run whose training diverged?).",
            LoadError(path));
    }

    [Fact]
    public void NonFiniteBias_IsRefusedToo()
    {
        string path = Saved((t, _) => t["2.bias"] = WithValue(t["2.bias"], 2, double.NaN));
        Assert.StartsWith($"{path}: tensor '2.bias' holds NaN at [2]", LoadError(path), StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeRunningVariance_IsRefused_ZeroIsNot()
    {
        string path = Saved((t, _) => t["1.running_var"] = WithValue(t["1.running_var"], 0, -1), batchNorm: true);
        Assert.Equal($"{path}: tensor '1.running_var' holds -1 at [0]; a batch norm's running variance cannot be negative.", LoadError(path));
        ModelFile.Load<float>(Saved((t, _) => t["1.running_var"] = WithValue(t["1.running_var"], 0, 0), batchNorm: true));
    }

    [Fact]
    public void ValueBeyondFloat32_IsRefusedAsFloat32_LoadsAsFloat64()
    {
        string path = Saved((t, _) => t["0.weight"] = WithValue(t["0.weight"], 0, 1e39, "F64"));
        Assert.StartsWith($"{path}: tensor '0.weight' holds 1E+39 at [0, 0], beyond the range of float32", LoadError(path), StringComparison.Ordinal);
        Assert.Equal(1e39, ModelFile.Load<double>(path).Network.Parameters[0].Value.Span[0]);
    }

    [Fact]
    public void MetadataClaimingOtherInput_IsRefused()
    {
        string path = Saved((_, m) => m[ModelFile.ArchitectureKey] = """{"type":"dense","input":5,"hidden":[4],"output":3,"activation":"relu"}""");
        Assert.Equal(
            $"{path}: metadata 'gradscope.architecture' says the network takes 5 inputs, but its first weight '0.weight' has shape [4, 2]: 2 inputs.",
            LoadError(path));
    }

    [Fact]
    public void MetadataClaimingThousandLayers_IsRefused()
    {
        string hidden = string.Join(",", Enumerable.Repeat("4", 1000));
        string path = Saved((_, m) => m[ModelFile.ArchitectureKey] = $$"""{"type":"dense","input":2,"hidden":[{{hidden}}],"output":3,"activation":"relu"}""");
        Assert.Equal(
            $"{path}: metadata 'gradscope.architecture' says 1000 hidden layers [4, 4, 4, 4, 4, 4, 4, 4, ...], but the file's weights make 1 [4].",
            LoadError(path));
    }

    [Fact]
    public void MetadataClaimingOtherOutput_IsRefused()
    {
        string path = Saved((_, m) => m[ModelFile.ArchitectureKey] = """{"type":"dense","input":2,"hidden":[4],"output":10,"activation":"relu"}""");
        Assert.Contains("says the network has 10 outputs, but its last weight '2.weight' has shape [3, 4]: 3 outputs.", LoadError(path));
    }

    [Fact]
    public void MetadataThatAgrees_Loads()
    {
        Assert.Equal("2-4-3 relu", ModelFile.Load<float>(Saved()).Spec.Describe());
        string activationOnly = Saved((_, m) => m[ModelFile.ArchitectureKey] = """{"activation":"tanh"}""");
        Assert.Equal("2-4-3 tanh", ModelFile.Load<float>(activationOnly).Spec.Describe());
    }

    [Fact]
    public void UnknownActivationInMetadata_NamesFileAndKey()
    {
        string path = Saved((_, m) => m[ModelFile.ArchitectureKey] = """{"type":"dense","input":2,"hidden":[4],"output":3,"activation":"frobnicate"}""");
        Assert.StartsWith($"{path}: metadata 'gradscope.architecture': Unknown activation 'frobnicate'.", LoadError(path), StringComparison.Ordinal);
    }

    [Fact]
    public void InfiniteStandardizationMean_NamesFileAndKey()
    {
        string path = Saved((_, m) => m[ModelFile.StandardizationKey] = """{"mean":[0,1e999],"std":[1,1]}""");
        Assert.Equal(
            $"{path}: metadata 'gradscope.standardization': feature 1 has mean Infinity and deviation 1; a standardizer needs a finite mean and a positive, finite deviation.",
            LoadError(path));
    }
}
