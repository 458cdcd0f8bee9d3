namespace Gradscope.Cli.Tests.Commands;

public sealed class TrainRemedyOptionsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gradscope-cli-" + Guid.NewGuid().ToString("N"));

    public TrainRemedyOptionsTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Train_ResidualBatchNorm_TrainsAndPrintsTheSummary()
    {
        var (code, stdout, stderr) = Run("train", "--data", "spiral", "--samples", "240", "--layers", "5x16", "--activation", "tanh",
            "--residual", "--norm", "batch", "--dropout", "0.1", "--epochs", "2", "--batch-size", "32", "--seed", "3");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        Assert.Contains("network 2-16-16-16-16-16-3 tanh batch-norm residual dropout 0.1", stdout, StringComparison.Ordinal);
        Assert.Matches(@"split\s+.*loss\s+.*accuracy", stdout);
        Assert.Matches(@"train\s+.*\d+\.\d+\s+.*\d+(\.\d+)?\s*%", stdout);
        Assert.Contains("12 steps in", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_UnknownNorm_ExitsWithUsageAndOneLine()
    {
        var (code, stdout, stderr) = Run("train", "--norm", "group", "--epochs", "1");

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("error: --norm: Unknown normalization 'group'. Use none, batch or layer." + Environment.NewLine, stderr);
    }

    [Fact]
    public void Train_DropoutOutOfRange_ExitsWithUsage()
    {
        var (code, _, stderr) = Run("train", "--dropout", "1.5", "--epochs", "1");

        Assert.Equal(2, code);
        Assert.Equal("error: --dropout must be in [0, 1); got 1.5." + Environment.NewLine, stderr);
    }

    [Fact]
    public void Train_ModelSpec_BuildsTheListedLayersAndSavesThem()
    {
        string spec = Path.Combine(_folder, "net.json");
        File.WriteAllText(spec, """
            {"layers": [
              {"type": "dense", "units": 8}, {"type": "layernorm"}, {"type": "activation", "name": "relu"},
              {"type": "residual", "layers": [{"type": "dense", "units": 8}, {"type": "activation", "name": "relu"}, {"type": "dense", "units": 8}]}
            ]}
            """);
        string model = Path.Combine(_folder, "net.safetensors");

        var (code, stdout, stderr) = Run("train", "--samples", "120", "--model-spec", spec, "--epochs", "1", "--save", model);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        Assert.Contains("network 2-dense8-layernorm-relu-res(dense8-relu-dense8)-3", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(model));
    }

    [Fact]
    public void Train_MalformedModelSpec_NamesTheFileAndThePlace()
    {
        string spec = Path.Combine(_folder, "bad.json");
        File.WriteAllText(spec, "{\"layers\": [{\"type\": \"dense\", \"units\": -4}]}");

        var (code, _, stderr) = Run("train", "--model-spec", spec, "--epochs", "1");

        Assert.Equal(1, code);
        Assert.Equal($"error: {spec}: layers[0]: \"units\" must be a whole number from 1 to 1000000; got -4." + Environment.NewLine, stderr);
    }

    [Fact]
    public void Train_MissingModelSpec_SaysSo()
    {
        string spec = Path.Combine(_folder, "none.json");

        var (code, _, stderr) = Run("train", "--model-spec", spec, "--epochs", "1");

        Assert.Equal(1, code);
        Assert.Equal($"error: Model spec file '{spec}' does not exist." + Environment.NewLine, stderr);
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr, plain: true);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
