using System.Text.Json;

namespace Gradscope.Cli.Tests;

/// <summary><c>train --print-spec</c> and <c>--run-spec</c>: a run described once, re-run exactly.</summary>
public sealed class RunSpecCommandTests
{
    private static readonly string[] Flags =
        ["--data", "moons", "--layers", "3x8", "--activation", "tanh", "--norm", "layer", "--optimizer", "momentum", "--lr", "0.05", "--epochs", "2", "--seed", "5"];

    [Fact]
    public void PrintSpec_WritesTheRunDescriptionAndTrainsNothing()
    {
        var (exit, output, error) = CliRunner.Run(["train", .. Flags, "--print-spec"]);

        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("gradscope.run", root.GetProperty("format").GetString());
        Assert.Equal("moons", root.GetProperty("data").GetProperty("source").GetString());
        Assert.Equal("glorot-uniform", root.GetProperty("init").GetString());
        Assert.Equal(0.05, root.GetProperty("optimizer").GetProperty("lr").GetDouble());
        Assert.Contains("layernorm", root.GetProperty("network").GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("epoch", output.Replace("\"epochs\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void RunSpec_ReproducesTheRunItDescribes()
    {
        string path = Path.Combine(CliRunner.TempDir(), "run.json");
        var (_, spec, _) = CliRunner.Run(["train", .. Flags, "--print-spec"]);
        File.WriteAllText(path, spec);

        var (flagsExit, flagsOut, flagsError) = CliRunner.Run(["train", .. Flags, "--json"]);
        var (specExit, specOut, specError) = CliRunner.Run("train", "--run-spec", path, "--json");

        Assert.True(flagsExit == 0, flagsError);
        Assert.True(specExit == 0, specError);
        using var a = JsonDocument.Parse(flagsOut);
        using var b = JsonDocument.Parse(specOut);
        Assert.Equal(a.RootElement.GetProperty("epochs").GetRawText(), b.RootElement.GetProperty("epochs").GetRawText());
        Assert.Equal(a.RootElement.GetProperty("spec").GetRawText(), b.RootElement.GetProperty("spec").GetRawText());
    }

    [Theory]
    [InlineData("--norm", "batch")]
    [InlineData("--activation", "tanh")]
    [InlineData("--layers", "3x8")]
    [InlineData("--residual", null)]
    [InlineData("--dropout", "0.1")]
    public void ModelSpec_WithALayoutFlag_IsBadUsageInsteadOfBeingIgnored(string option, string? value)
    {
        string spec = Path.Combine(CliRunner.TempDir(), "net.json");
        File.WriteAllText(spec, """{"layers": [{"type": "dense", "units": 8}, {"type": "activation", "name": "sigmoid"}]}""");
        string[] flag = value is null ? [option] : [option, value];

        var (exit, output, error) = CliRunner.Run(["train", "--model-spec", spec, .. flag, "--epochs", "1", "--no-store"]);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith($"error: {option} cannot be combined with --model-spec: the model spec '{spec}' defines the hidden layers.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RunSpec_WithARunFlag_IsBadUsage()
    {
        string path = Path.Combine(CliRunner.TempDir(), "run.json");
        File.WriteAllText(path, CliRunner.Run("train", "--print-spec").Out);

        var (exit, _, error) = CliRunner.Run("train", "--run-spec", path, "--layers", "2x4");

        Assert.Equal(2, exit);
        Assert.Contains("--layers cannot be combined with --run-spec", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("""{"format": "gradscope.run", "version": 9}""", "written by a newer Gradscope")]
    [InlineData("""{"format": "gradscope.run", "version": 1, "data": {"source": "spiral"}, "network": {"layers": []}, "init": "he-normal", "optimizer": {"name": "sgd", "lr": 0.1}, "colour": 1}""", "colour: unknown key")]
    public void RunSpec_Malformed_ExitsOneNamingTheFile(string json, string expected)
    {
        string path = Path.Combine(CliRunner.TempDir(), "bad.json");
        File.WriteAllText(path, json);

        var (exit, _, error) = CliRunner.Run("train", "--run-spec", path);

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: {path}", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RunSpec_MissingFile_ExitsOne()
    {
        var (exit, _, error) = CliRunner.Run("train", "--run-spec", "/nonexistent/run.json");
        Assert.Equal(1, exit);
        Assert.Contains("'/nonexistent/run.json' does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RunSpec_IsAnInputNoOutputMayOverwrite()
    {
        string path = Path.Combine(CliRunner.TempDir(), "run.json");
        string spec = CliRunner.Run("train", "--print-spec").Out;
        File.WriteAllText(path, spec);

        var (exit, _, error) = CliRunner.Run("train", "--run-spec", path, "--save", path);

        Assert.Equal(2, exit);
        Assert.Contains("--run-spec", error, StringComparison.Ordinal);
        Assert.Equal(spec, File.ReadAllText(path));
    }
}
