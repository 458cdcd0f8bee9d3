using System.IO.Compression;
using System.Text;
using Gradscope.Serialization.Safetensors;

namespace Gradscope.Cli.Tests.Commands;

/// <summary>Data and model files that used to give a silent wrong result exit 1 with one line naming the file and what is wrong.</summary>
public sealed class BadFilesTests
{
    private readonly string _dir = CliRunner.TempDir();

    private static string Rows(int count)
    {
        var text = new StringBuilder("a,b,label\n");
        for (int i = 0; i < count; i++)
            text.Append(i % 5).Append(',').Append(i % 7).Append(',').Append(i % 3).Append('\n');
        return text.ToString();
    }

    private static void AssertOneLineError(string error, string start)
    {
        Assert.StartsWith("error: " + start, error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    /// <summary>A saved 2-4-3 network trained briefly, then <paramref name="change"/> applied to its tensors and metadata.</summary>
    private string Model(Action<Dictionary<string, SafetensorsTensor>, Dictionary<string, string>> change, params string[] trainArgs)
    {
        string path = Path.Combine(_dir, $"m{Guid.NewGuid():N}.safetensors");
        var (exit, _, error) = CliRunner.Run(["train", "--data", Data(), "--layers", "4", "--epochs", "1", "--save", path, .. trainArgs]);
        Assert.True(exit == 0, error);
        var file = SafetensorsFile.Read(path);
        var tensors = file.Tensors.ToDictionary(t => t.Name);
        var metadata = new Dictionary<string, string>(file.Metadata);
        change(tensors, metadata);
        SafetensorsFile.Write(path, [.. tensors.Values], metadata);
        return path;
    }

    private string Data()
    {
        string path = Path.Combine(_dir, "d.csv");
        File.WriteAllText(path, Rows(60));
        return path;
    }

    private static void SetValue(Dictionary<string, SafetensorsTensor> tensors, string name, int index, double value)
    {
        var tensor = tensors[name];
        double[] values = (double[])tensor.Values.Clone();
        values[index] = value;
        tensors[name] = new SafetensorsTensor(name, tensor.DType, tensor.Shape, values);
    }

    [Fact]
    public void Train_GzipCutAtAFlushPoint_ExitsOne()
    {
        string csv = Rows(400);
        int half = csv.IndexOf('\n', csv.Length / 2) + 1;
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(csv[..half]));
            gzip.Flush();
            File.WriteAllBytes(Path.Combine(_dir, "cut.csv.gz"), memory.ToArray());
            gzip.Write(Encoding.UTF8.GetBytes(csv[half..]));
        }

        string path = Path.Combine(_dir, "cut.csv.gz");
        var (exit, _, error) = CliRunner.Run("train", "--data", path, "--layers", "4", "--epochs", "1");
        Assert.Equal(1, exit);
        AssertOneLineError(error, $"{path}: the gzip data is truncated");
    }

    [Fact]
    public void Train_CorruptGzip_ExitsOneNamingFile()
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes(Rows(400)));
        byte[] bytes = memory.ToArray();
        for (int i = 20; i < 60; i++)
            bytes[i] ^= 0x55;
        string path = Path.Combine(_dir, "bad.csv.gz");
        File.WriteAllBytes(path, bytes);
        var (exit, _, error) = CliRunner.Run("train", "--data", path, "--layers", "4", "--epochs", "1");
        Assert.Equal(1, exit);
        AssertOneLineError(error, $"{path}: the gzip data is corrupt");
    }

    [Fact]
    public void Train_OneClass_ExitsOne()
    {
        string path = Path.Combine(_dir, "one.csv");
        File.WriteAllText(path, "a,b,label\n1,2,7\n3,4,7\n5,6,7\n7,8,7\n");
        var (exit, output, error) = CliRunner.Run("train", "--data", path, "--layers", "4", "--epochs", "2");
        Assert.Equal(1, exit);
        AssertOneLineError(error, $"{path}: the data has one class ('7'); training a classifier needs two or more classes.");
        Assert.DoesNotContain("100.0%", output);
    }

    [Fact]
    public void Train_FeaturesTooLargeToStandardize_NamesTheFile()
    {
        // Found by the fuzzer: finite values whose sum overflows a double were refused without the file's name.
        string path = Path.Combine(_dir, "huge.csv");
        File.WriteAllText(path, "a,label\n1.7e308,0\n1.6e308,1\n1.5e308,0\n1.4e308,1\n1.3e308,0\n1.2e308,1\n");
        var (exit, _, error) = CliRunner.Run("train", "--data", path, "--layers", "4", "--epochs", "1");
        Assert.Equal(1, exit);
        AssertOneLineError(error, $"{path}: cannot standardize the features: feature 0 has mean ");
    }

    [Theory]
    [InlineData("""{"type":"dense","input":5,"hidden":[4],"output":3,"activation":"relu"}""", "says the network takes 5 inputs, but its first weight '0.weight' has shape [4, 2]: 2 inputs.")]
    [InlineData("""{"type":"dense","input":2,"hidden":[4,4,4],"output":3,"activation":"relu"}""", "says 3 hidden layers [4, 4, 4], but the file's weights make 1 [4].")]
    [InlineData("""{"type":"dense","input":2,"hidden":[4],"output":3,"activation":"frobnicate"}""", "Unknown activation 'frobnicate'.")]
    public void Inspect_ArchitectureMetadataContradictingTensors_ExitsOne(string architecture, string message)
    {
        string model = Model((_, m) => m["gradscope.architecture"] = architecture);
        var (exit, _, error) = CliRunner.Run("inspect", "--model", model, "--data", Data());
        Assert.Equal(1, exit);
        AssertOneLineError(error, $"{model}: metadata 'gradscope.architecture'");
        Assert.Contains(message, error);
    }

    [Fact]
    public void Inspect_InfiniteStandardizationMean_NamesFileAndKey()
    {
        string model = Model((_, m) => m["gradscope.standardization"] = """{"mean":[0,1e999],"std":[1,1]}""");
        var (exit, _, error) = CliRunner.Run("inspect", "--model", model, "--data", Data());
        Assert.Equal(1, exit);
        AssertOneLineError(error, $"{model}: metadata 'gradscope.standardization': feature 1 has mean Infinity");
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("diagnose")]
    public void SubnormalStandardizationDeviation_NamesFileAndKey(string command)
    {
        // Found by the fuzzer: a deviation of 1e-320 is positive and finite, but dividing by it
        // overflows, and the error blamed the data set instead of the model file.
        string model = Model((_, m) => m["gradscope.standardization"] = """{"mean":[0,0],"std":[1,1e-320]}""");
        var (exit, _, error) = CliRunner.Run(command, "--model", model, "--data", Data());
        Assert.Equal(1, exit);
        AssertOneLineError(error, $"{model}: metadata 'gradscope.standardization': standardizing feature 1 ('b') with mean 0 and deviation 1E-320 turns ");
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("diagnose")]
    public void NaNWeight_ExitsOneNamingTensor(string command)
    {
        string model = Model((t, _) => SetValue(t, "0.weight", 3, double.NaN));
        var (exit, _, error) = CliRunner.Run(command, "--model", model, "--data", Data());
        Assert.Equal(1, exit);
        AssertOneLineError(error, $"{model}: tensor '0.weight' holds NaN at [1, 1]");
        Assert.DoesNotContain("learning rate", error);
    }

    [Fact]
    public void Inspect_InfiniteBias_ExitsOneNamingTensor()
    {
        string model = Model((t, _) => SetValue(t, "2.bias", 1, double.PositiveInfinity));
        var (exit, _, error) = CliRunner.Run("inspect", "--model", model, "--data", Data());
        Assert.Equal(1, exit);
        AssertOneLineError(error, $"{model}: tensor '2.bias' holds Infinity at [1]");
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("diagnose")]
    public void NegativeRunningVariance_ExitsOneNamingTensor(string command)
    {
        string model = Model((t, _) => SetValue(t, "1.running_var", 0, -1), "--norm", "batch");
        var (exit, _, error) = CliRunner.Run(command, "--model", model, "--data", Data());
        Assert.Equal(1, exit);
        AssertOneLineError(error, $"{model}: tensor '1.running_var' holds -1 at [0]; a batch norm's running variance cannot be negative.");
    }
}
