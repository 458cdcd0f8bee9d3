using System.Text.Json;
using Gradscope.Lab.Traces;

namespace Gradscope.Cli.Tests.Traces;

public sealed class DiagnoseTraceTests
{
    private const double Sigmoidish = 0.25;

    [Fact]
    public void DiagnoseTrace_TwentyLayerSigmoidHookTrace_IsVanishingWithPyTorchCode()
    {
        string dir = CliRunner.TempDir();
        string trace = HookTraces.Write(Path.Combine(dir, "sigmoid.jsonl"), HookTraces.Mlp(19, 64, 20, 4, "sigmoid", 1 / Math.Sqrt(3)), 50, Sigmoidish);

        var (exit, output, error) = CliRunner.Run("diagnose", "--trace", trace);

        Assert.True(exit == 1, error);
        Assert.Contains("Vanishing (error) in layers 1 (net.0) to 20 (net.38), 20 layers", output);
        Assert.Contains("pytorch 1.13.1 run, SGD lr 0.1", output);
        Assert.Contains("initialization: PyTorch's default, median gain std*sqrt(fan_in) = 0.577", output);
        Assert.Contains("setattr(model.get_submodule(parent) if parent else model, child, nn.ReLU())", output);
        Assert.Contains("nn.init.kaiming_normal_(m.weight, nonlinearity=\"relu\")", output);
        Assert.Contains("nn.BatchNorm1d(64)", output);
        Assert.Contains("\"net.1\", \"net.3\"", output);
        Assert.Equal("", error);
    }

    [Fact]
    public void DiagnoseTrace_HealthyReluHeHookTrace_ExitsZero()
    {
        string dir = CliRunner.TempDir();
        string trace = HookTraces.Write(Path.Combine(dir, "relu.jsonl"), HookTraces.Mlp(19, 64, 20, 4, "relu", Math.Sqrt(2)), 50, 1.0);

        var (exit, output, error) = CliRunner.Run("diagnose", "--trace", trace);

        Assert.True(exit == 0, output + error);
        Assert.Contains("initialization: he-normal", output);
        Assert.Contains("No findings", output);
    }

    [Fact]
    public void DiagnoseTrace_ReluAlreadyHe_NeverOffersTheRecommendedInit()
    {
        string dir = CliRunner.TempDir();
        string he = HookTraces.Write(Path.Combine(dir, "he.jsonl"), HookTraces.Mlp(9, 32, 8, 2, "relu", Math.Sqrt(2)), 40, 0.3);
        string torchDefault = HookTraces.Write(Path.Combine(dir, "default.jsonl"), HookTraces.Mlp(9, 32, 8, 2, "relu", 1 / Math.Sqrt(3)), 40, 0.3);

        var withHe = Remedies(Json(CliRunner.Run("diagnose", "--trace", he, "--json")));
        var withDefault = Remedies(Json(CliRunner.Run("diagnose", "--trace", torchDefault, "--json")));

        Assert.NotEmpty(withHe);
        Assert.DoesNotContain("recommended-init", withHe);
        Assert.Contains("recommended-init", withDefault);
    }

    [Fact]
    public void DiagnoseTrace_Json_CarriesPerLayerEarlyNumbersAndPyTorchCode()
    {
        string dir = CliRunner.TempDir();
        var layers = HookTraces.Mlp(19, 64, 20, 4, "sigmoid", 1 / Math.Sqrt(3));
        string trace = HookTraces.Write(Path.Combine(dir, "sigmoid.jsonl"), layers, 50, Sigmoidish);

        var (exit, output, _) = CliRunner.Run("diagnose", "--trace", trace, "--json");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("pytorch", root.GetProperty("framework").GetProperty("name").GetString());
        Assert.Equal(50, root.GetProperty("steps").GetInt32());
        var jsonLayers = root.GetProperty("layers");
        Assert.Equal(20, jsonLayers.GetArrayLength());
        for (int l = 0; l < 20; l++)
        {
            var layer = jsonLayers[l];
            Assert.Equal(l + 1, layer.GetProperty("layer").GetInt32());
            Assert.Equal(layers[l].Name, layer.GetProperty("name").GetString());
            Assert.Equal(HookTraces.DeltaRms(l, 20, Sigmoidish), layer.GetProperty("early").GetProperty("delta_rms").GetDouble(), 1e-12 * HookTraces.DeltaRms(l, 20, Sigmoidish));
            Assert.Equal(HookTraces.GradRms(l, 20, Sigmoidish), layer.GetProperty("early").GetProperty("grad_rms").GetDouble(), 1e-12 * HookTraces.GradRms(l, 20, Sigmoidish));
        }

        Assert.Equal(JsonValueKind.Null, jsonLayers[19].GetProperty("early").GetProperty("act_std").ValueKind);
        var vanishing = root.GetProperty("findings")[0];
        Assert.Equal("Vanishing", vanishing.GetProperty("kind").GetString());
        Assert.Contains("nn.ReLU()", vanishing.GetProperty("remedies")[0].GetProperty("pytorch").GetString());
    }

    [Fact]
    public void DiagnoseTrace_GradscopeTrainTrace_GivesTheFindingsTheRunPrinted()
    {
        string dir = CliRunner.TempDir();
        string trace = Path.Combine(dir, "run.jsonl");
        var (trainExit, _, trainError) = CliRunner.Run("train", "--data", "spiral", "--layers", "10x16", "--activation", "sigmoid", "--init", "glorot-uniform", "--epochs", "2", "--trace", trace, "--no-store");
        Assert.True(trainExit == 0, trainError);
        var printed = TraceReader.Read(trace).Findings;

        var (exit, output, _) = CliRunner.Run("diagnose", "--trace", trace, "--json");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(output);
        var findings = json.RootElement.GetProperty("findings");
        Assert.NotEmpty(printed);
        Assert.Equal(printed.Count, findings.GetArrayLength());
        for (int i = 0; i < printed.Count; i++)
        {
            var f = findings[i];
            Assert.Equal(printed[i].Kind.ToString(), f.GetProperty("kind").GetString());
            var layers = f.GetProperty("layers");
            Assert.Equal(printed[i].LayerRefs.Count, layers.GetArrayLength());
            for (int l = 0; l < layers.GetArrayLength(); l++)
                Assert.Equal(printed[i].LayerRefs[l].Name, layers[l].GetProperty("name").GetString());
            foreach (var (name, value) in printed[i].Evidence)
                Assert.Equal(value, f.GetProperty("evidence").GetProperty(name).GetDouble(), Math.Abs(value) * 1e-12);
            Assert.Equal(printed[i].Cause, f.GetProperty("cause").GetString());
        }
    }

    [Fact]
    public void DiagnoseTrace_ConvAndLstmLayers_AreReadAndTryFixesSaysWhyNot()
    {
        string dir = CliRunner.TempDir();
        HookTraces.Layer[] layers =
        [
            new("features.0", "conv", "Conv2d", "relu", "features.1", 3, 16, Math.Sqrt(2)),
            new("rnn", "lstm", "LSTM", "identity", null, 16, 32, 1),
            new("head", "dense", "Linear", "identity", null, 32, 5, 1),
        ];
        string trace = HookTraces.Write(Path.Combine(dir, "mixed.jsonl"), layers, 30, 1.0);

        var (exit, output, _) = CliRunner.Run("diagnose", "--trace", trace, "--json");
        var (fixExit, fixOutput, fixError) = CliRunner.Run("diagnose", "--trace", trace, "--try-fixes", "--data", "spiral");

        using var json = JsonDocument.Parse(output);
        var kinds = json.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("kind").GetString()!).ToArray();
        Assert.Equal(["conv", "lstm", "dense"], kinds);
        Assert.Equal("LSTM", json.RootElement.GetProperty("layers")[1].GetProperty("module_kind").GetString());
        Assert.Equal(exit, fixExit);
        Assert.Contains("--try-fixes: layer 1 (features.0) is a convolution (Conv2d)", fixOutput);
        Assert.Equal("", fixError);
    }

    [Fact]
    public void DiagnoseTrace_ShortTrace_WarnsThatTheWindowsAreOneStep()
    {
        string dir = CliRunner.TempDir();
        string trace = HookTraces.Write(Path.Combine(dir, "short.jsonl"), HookTraces.Mlp(4, 8, 4, 2, "relu", Math.Sqrt(2)), 3, 1.0);

        var (exit, _, error) = CliRunner.Run("diagnose", "--trace", trace);

        Assert.Equal(0, exit);
        Assert.Contains("only 3 step(s) recorded", error);
    }

    [Theory]
    [InlineData("", "empty file")]
    [InlineData("HEADER", "no step lines: too short to diagnose")]
    [InlineData("{\"type\":\"header\",\"format\":\"gradscope-trace\",\"version\":3,\"layers\":[]}\n", "bad.jsonl:1: trace version 3 is not supported")]
    [InlineData("HEADER\n{\"type\":\"step\",\"step\":0,\"loss\":1}\n{\"type\":\"step\",\"step\":1,\"loss\":\"x\"}\n", "bad.jsonl:3: \"loss\" must hold numbers or null")]
    [InlineData("HEADER\nnot json\n{\"type\":\"step\",\"step\":0,\"loss\":1}\n", "bad.jsonl:2: not valid JSON")]
    [InlineData("{\"type\":\"step\",\"step\":0,\"loss\":1}\n", "bad.jsonl:1: the first line must be the header")]
    [InlineData("HEADER\n{\"type\":\"step\",\"step\":0,\"loss\":1,\"delta_rms\":[1]}\n", "bad.jsonl:2: \"delta_rms\" must be an array of 3 numbers")]
    public void DiagnoseTrace_BadTrace_OneLineErrorNamingFileAndLine(string content, string expected)
    {
        string dir = CliRunner.TempDir();
        string path = Path.Combine(dir, "bad.jsonl");
        File.WriteAllText(path, content.Replace("HEADER", HookTraces.Header(HookTraces.Mlp(2, 4, 3, 2, "relu", 1)), StringComparison.Ordinal));

        var (exit, output, error) = CliRunner.Run("diagnose", "--trace", path);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains(expected, error);
        Assert.Contains("bad.jsonl", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void DiagnoseTrace_TruncatedLastLine_IsDiagnosedFromTheCompleteLines()
    {
        string dir = CliRunner.TempDir();
        string path = HookTraces.Write(Path.Combine(dir, "cut.jsonl"), HookTraces.Mlp(19, 16, 4, 2, "sigmoid", 1), 20, Sigmoidish, end: false);
        File.AppendAllText(path, "{\"type\":\"step\",\"step\":20,\"loss\":1.0,\"grad_n");

        var (exit, output, _) = CliRunner.Run("diagnose", "--trace", path);

        Assert.Equal(1, exit);
        Assert.Contains("20 steps recorded (no end line", output);
    }

    [Theory]
    [InlineData("--model", "m.safetensors", "--trace and --model are exclusive")]
    [InlineData("--try-fixes", null, "--try-fixes with --trace needs --data")]
    [InlineData("--data", "spiral", "--data with --trace is used only by --try-fixes")]
    [InlineData("--activation", "relu", "--activation and --model-spec describe a model file")]
    public void DiagnoseTrace_ConflictingOptions_AreUsageErrors(string option, string? value, string expected)
    {
        string dir = CliRunner.TempDir();
        string trace = HookTraces.Write(Path.Combine(dir, "t.jsonl"), HookTraces.Mlp(2, 4, 3, 2, "relu", 1), 10, 1.0);
        string[] args = value is null ? ["diagnose", "--trace", trace, option] : ["diagnose", "--trace", trace, option, value];

        var (exit, _, error) = CliRunner.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Diagnose_WithoutModelOrTrace_IsAUsageError()
    {
        var (exit, _, error) = CliRunner.Run("diagnose", "--data", "spiral");

        Assert.Equal(2, exit);
        Assert.Contains("diagnose needs --model and --data", error);
    }

    [Fact]
    public void DiagnoseTrace_MissingFile_NamesIt()
    {
        var (exit, _, error) = CliRunner.Run("diagnose", "--trace", Path.Combine(CliRunner.TempDir(), "none.jsonl"));

        Assert.Equal(1, exit);
        Assert.Contains("none.jsonl: no such trace file", error);
    }

    private static JsonElement Json((int Exit, string Out, string Err) result)
    {
        using var document = JsonDocument.Parse(result.Out);
        return document.RootElement.Clone();
    }

    private static List<string> Remedies(JsonElement root)
    {
        var ids = new List<string>();
        foreach (var finding in root.GetProperty("findings").EnumerateArray())
        {
            foreach (var remedy in finding.GetProperty("remedies").EnumerateArray())
                ids.Add(remedy.GetProperty("id").GetString()!);
        }

        return ids;
    }

    [Fact]
    public void DiagnoseTrace_NonFiniteRecordedEveryThirdStep_NamesTheTrainingStep()
    {
        string dir = CliRunner.TempDir();
        string nonFinite = "{\"type\":\"non_finite\",\"step\":9,\"layer\":2,\"name\":\"net.2\",\"where\":\"gradient\"}";
        string trace = HookTraces.Write(Path.Combine(dir, "every3.jsonl"), HookTraces.Mlp(3, 8, 4, 2, "relu", Math.Sqrt(2)), 12, 1.0, every: 3, events: [nonFinite]);

        var (exit, output, error) = CliRunner.Run("diagnose", "--trace", trace, "--json");

        Assert.True(exit == 1, output + error);
        using var json = JsonDocument.Parse(output);
        JsonElement? found = null;
        foreach (var f in json.RootElement.GetProperty("findings").EnumerateArray())
        {
            if (f.GetProperty("kind").GetString() == "NonFinite")
                found = f;
        }

        Assert.NotNull(found);
        Assert.Equal(9, found.Value.GetProperty("evidence").GetProperty("step").GetDouble());
        Assert.Contains("first appeared at step 9 ", found.Value.GetProperty("cause").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DiagnoseTrace_OnlyFunctionalActivations_DoesNotCallThemIdentity()
    {
        string dir = CliRunner.TempDir();
        var layers = HookTraces.Mlp(19, 64, 20, 4, "unknown", 1 / Math.Sqrt(3)).Select(l => l with { ActivationModule = null }).ToList();
        string trace = HookTraces.Write(Path.Combine(dir, "functional.jsonl"), layers, 50, Sigmoidish);

        var (exit, output, error) = CliRunner.Run("diagnose", "--trace", trace, "--json");

        Assert.True(exit == 1, output + error);
        using var json = JsonDocument.Parse(output);
        var vanishing = json.RootElement.GetProperty("findings")[0];
        Assert.Equal("Vanishing", vanishing.GetProperty("kind").GetString());
        string cause = vanishing.GetProperty("cause").GetString()!;
        Assert.DoesNotContain("for identity", cause, StringComparison.Ordinal);
        Assert.Contains("too small for its activations (functions the trace does not name)", cause, StringComparison.Ordinal);
    }
}
