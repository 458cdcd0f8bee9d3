using System.Text.Json;
using Gradscope.Serialization.Safetensors;

namespace Gradscope.Cli.Tests;

/// <summary>
/// <c>inspect</c> and <c>diagnose</c> on safetensors files laid out as PyTorch's state dict writes
/// them (no Gradscope metadata), and the one layer identity of their JSON and text.
/// </summary>
public sealed class TorchModelCommandTests
{
    private const string Csv = "a,b,c,d,label\n0.1,0.2,-0.3,0.5,0\n-0.5,0.3,0.9,-1.1,1\n0.9,-0.8,0.2,0.0,2\n0.0,0.4,-0.6,1.2,1\n1.3,-0.2,0.7,-0.4,0\n";

    private static readonly string[] Fields = ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"];

    // A state dict: (module path, kind, inputs, outputs) -> its tensors, values from a fixed sequence.
    private static (string Model, string Data) Write(params (string Path, string Kind, int In, int Out)[] modules)
    {
        string dir = CliRunner.TempDir();
        var tensors = new List<SafetensorsTensor>();
        int seed = 1;
        foreach (var (path, kind, inputs, outputs) in modules)
        {
            foreach (var (field, shape) in kind switch
            {
                "linear" => new[] { ("weight", new[] { outputs, inputs }), ("bias", new[] { outputs }) },
                "layernorm" => [("weight", [outputs]), ("bias", [outputs])],
                _ => Fields.Select(f => (f, f == "num_batches_tracked" ? Array.Empty<int>() : new[] { outputs })).ToArray(),
            })
            {
                var values = new double[shape.Aggregate(1, (a, b) => a * b)];
                for (int i = 0; i < values.Length; i++)
                    values[i] = field == "running_var" ? 1 + (0.1 * i) : (float)(0.6 * Math.Sin((seed * 7.3) + (i * 1.7)));
                seed++;
                tensors.Add(new SafetensorsTensor($"{path}.{field}", field == "num_batches_tracked" ? "I64" : "F32", shape, field == "num_batches_tracked" ? [3] : values));
            }
        }

        string model = Path.Combine(dir, "torch.safetensors");
        SafetensorsFile.Write(model, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        string data = Path.Combine(dir, "d.csv");
        File.WriteAllText(data, Csv);
        return (model, data);
    }

    private static JsonElement InspectJson(string model, string data, params string[] extra)
    {
        var (exit, output, error) = CliRunner.Run(["inspect", "--model", model, "--data", data, "--json", .. extra]);
        Assert.True(exit == 0, error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static string[] Names(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetProperty("name").GetString()!)];

    [Fact]
    public void Inspect_SequentialWithBatchNorm_Loads()
    {
        // Was exit 1: "tensor '1.weight' has shape [8]; a Linear weight is [out, in]."
        var (model, data) = Write(("0", "linear", 4, 8), ("1", "batchnorm", 8, 8), ("3", "linear", 8, 3));
        var root = InspectJson(model, data, "--activation", "relu");
        Assert.Equal(["0", "3"], Names(root.GetProperty("layers")));
        Assert.Equal([1, 2], root.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("layer").GetInt32()));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"], Names(root.GetProperty("parameters")));
        Assert.Equal("train", root.GetProperty("mode").GetString());
    }

    [Fact]
    public void Inspect_ModeEval_UsesRunningStatistics()
    {
        var (model, data) = Write(("0", "linear", 4, 8), ("1", "batchnorm", 8, 8), ("3", "linear", 8, 3));
        double train = InspectJson(model, data, "--activation", "relu").GetProperty("loss").GetDouble();
        double eval = InspectJson(model, data, "--activation", "relu", "--mode", "eval").GetProperty("loss").GetDouble();
        Assert.NotEqual(train, eval, 6);
        var (exit, _, error) = CliRunner.Run("inspect", "--model", model, "--data", data, "--activation", "relu", "--mode", "test");
        Assert.Equal(2, exit);
        Assert.Contains("Unknown --mode 'test'. Use train or eval.", error);
    }

    [Fact]
    public void Inspect_WrappedModule_LoadsUnderItsPrefix()
    {
        // Was exit 1: "tensor 'net.0.weight' is not named like an nn.Sequential entry".
        var (model, data) = Write(("net.0", "linear", 4, 8), ("net.2", "linear", 8, 3));
        var root = InspectJson(model, data, "--activation", "tanh");
        Assert.Equal(["net.0", "net.2"], Names(root.GetProperty("layers")));
        Assert.Equal(["net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias"], Names(root.GetProperty("parameters")));
    }

    [Fact]
    public void Inspect_DropoutAndFlattenGaps_KeepTheFilesIndexes()
    {
        // Was: layers 1.weight and 4.weight reported as "0" and "2".
        var (model, data) = Write(("1", "linear", 4, 8), ("4", "linear", 8, 3));
        var root = InspectJson(model, data, "--activation", "relu");
        Assert.Equal(["1", "4"], Names(root.GetProperty("layers")));
        var (exit, output, _) = CliRunner.Run("inspect", "--model", model, "--data", data, "--activation", "relu");
        Assert.Equal(0, exit);
        Assert.Contains("| 2 (4) ", output);
    }

    [Fact]
    public void Inspect_AdjacentLinearIndexes_GetNoActivation()
    {
        // Was: an activation silently inserted between 0 and 1, so --activation changed the loss.
        var (model, data) = Write(("0", "linear", 4, 8), ("1", "linear", 8, 3));
        double none = InspectJson(model, data).GetProperty("loss").GetDouble();
        Assert.Equal(none, InspectJson(model, data, "--activation", "relu").GetProperty("loss").GetDouble());
        Assert.Equal(none, InspectJson(model, data, "--activation", "sigmoid").GetProperty("loss").GetDouble());
    }

    [Fact]
    public void Inspect_ModelSpec_LoadsAnyModuleNames()
    {
        var (model, data) = Write(("encoder.fc1", "linear", 4, 6), ("encoder.ln", "layernorm", 6, 6), ("head", "linear", 6, 3));
        string spec = Path.Combine(Path.GetDirectoryName(model)!, "net.json");
        File.WriteAllText(spec, """
            {"layers": [{"type": "dense", "units": 6, "module": "encoder.fc1"}, {"type": "layernorm", "module": "encoder.ln"},
                        {"type": "activation", "name": "gelu"}],
             "output": {"units": 3, "module": "head"}}
            """);
        var root = InspectJson(model, data, "--model-spec", spec);
        Assert.Equal(["encoder.fc1", "head"], Names(root.GetProperty("layers")));
        var (exit, _, error) = CliRunner.Run("inspect", "--model", model, "--data", data, "--model-spec", spec, "--activation", "relu");
        Assert.Equal(2, exit);
        Assert.Contains("--activation and --model-spec cannot be used together", error);
    }

    [Fact]
    public void Inspect_TorchSaveFile_SaysHowToSaveSafetensors()
    {
        string dir = CliRunner.TempDir();
        string model = Path.Combine(dir, "model.pt");
        File.WriteAllBytes(model, [(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0]);
        File.WriteAllText(Path.Combine(dir, "d.csv"), Csv);
        var (exit, _, error) = CliRunner.Run("inspect", "--model", model, "--data", Path.Combine(dir, "d.csv"), "--activation", "relu");
        Assert.Equal(1, exit);
        Assert.StartsWith($"error: {model} is a zip archive (what torch.save writes to .pt and .pth files), not a safetensors file; save the weights as safetensors", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Diagnose_NonFinite_NamesTheLayerOneWayEverywhere()
    {
        // Was: "layers": [2], evidence "layer": 2 and a cause naming "dense layer 3 (tensor prefix 4)", thresholds inside evidence.
        var (model, data) = Write(("net.0", "linear", 4, 8), ("net.1", "batchnorm", 8, 8), ("net.3", "linear", 8, 8), ("net.5", "linear", 8, 3));
        var (exit, output, error) = CliRunner.Run("diagnose", "--model", model, "--data", data, "--activation", "relu", "--lr", "1e30", "--steps", "20", "--json");
        Assert.True(exit == 1, error);
        using var doc = JsonDocument.Parse(output);
        var finding = doc.RootElement.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("kind").GetString() == "NonFinite");
        var layer = Assert.Single(finding.GetProperty("layers").EnumerateArray());
        int k = layer.GetProperty("layer").GetInt32();
        string name = layer.GetProperty("name").GetString()!;
        string[] dense = ["net.0", "net.3", "net.5"];
        Assert.Equal(dense[k - 1], name);
        Assert.Equal(k, finding.GetProperty("evidence").GetProperty("layer").GetInt32());
        Assert.Contains($"layer {k} ({name})", finding.GetProperty("cause").GetString());
        Assert.False(finding.GetProperty("evidence").TryGetProperty("thresholds", out _));
        Assert.Equal(JsonValueKind.Object, finding.GetProperty("thresholds").ValueKind);
        Assert.Equal(dense, Names(doc.RootElement.GetProperty("layers")));

        var (_, text, _) = CliRunner.Run("diagnose", "--model", model, "--data", data, "--activation", "relu", "--lr", "1e30", "--steps", "20");
        Assert.Contains($"NonFinite (error) in layer {k} ({name})", text);
        Assert.Contains("layer   3 (net.5) |", text);
    }
}
