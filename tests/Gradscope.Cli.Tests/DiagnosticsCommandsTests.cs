using System.Text.Json;

namespace Gradscope.Cli.Tests;

public sealed class DiagnosticsCommandsTests
{
    [Fact]
    public void Demo_ShowsThreeNetworksFindingsAndVerdict()
    {
        string dir = CliRunner.TempDir();
        var (exit, output, error) = CliRunner.Run("demo", "--epochs", "5", "--png", dir);
        Assert.True(exit == 0, error);
        Assert.Contains("sigmoid + standard init", output);
        Assert.Contains("tanh + Glorot init", output);
        Assert.Contains("ReLU + He init", output);
        Assert.Contains("Vanishing (error)", output);
        Assert.Contains("layer   1 (0)", output); // the chart names layers by number and module path
        Assert.Contains("Verdict", output);
        Assert.Equal(6, Directory.GetFiles(dir, "*.png").Length);
    }

    [Fact]
    public void Train_PrintsFindingsAndWritesTrace()
    {
        string trace = Path.Combine(CliRunner.TempDir(), "t.jsonl");
        var (exit, output, error) = CliRunner.Run("train", "--layers", "12x16", "--activation", "sigmoid", "--init", "standard", "--epochs", "2", "--trace", trace);
        Assert.True(exit == 0, error);
        Assert.Contains("Vanishing (error)", output);
        Assert.StartsWith("{\"type\":\"header\"", File.ReadAllText(trace));
    }

    [Fact]
    public void Train_TraceWithoutMonitor_IsBadUsage()
    {
        var (exit, _, error) = CliRunner.Run("train", "--monitor", "off", "--trace", "x.jsonl");
        Assert.Equal(2, exit);
        Assert.Contains("--trace needs the monitor", error);
    }

    [Fact]
    public void Diagnose_UnhealthyModel_ExitsOneWithJsonFindingsAndFixes()
    {
        string dir = CliRunner.TempDir();
        string model = Path.Combine(dir, "sig.safetensors");
        var train = CliRunner.Run("train", "--layers", "15x16", "--activation", "sigmoid", "--init", "standard", "--epochs", "1", "--save", model);
        Assert.True(train.Exit == 0, train.Err);

        var (exit, output, error) = CliRunner.Run("diagnose", "--model", model, "--data", "spiral", "--steps", "60", "--try-fixes", "--max-fixes", "2", "--json");
        Assert.True(exit == 1, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.False(root.GetProperty("healthy").GetBoolean());
        var vanishing = root.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("kind").GetString() == "Vanishing");
        Assert.Equal("error", vanishing.GetProperty("severity").GetString());
        Assert.True(vanishing.GetProperty("evidence").GetProperty("orders_lost").GetDouble() > 4);
        Assert.Equal("relu-he", vanishing.GetProperty("remedies")[0].GetProperty("id").GetString());
        Assert.Contains("the model file's init", vanishing.GetProperty("cause").GetString());
        Assert.Equal(16, root.GetProperty("layers").GetArrayLength());
        var fixes = root.GetProperty("fixes");
        Assert.Equal(3, fixes.GetArrayLength());
        Assert.Equal("relu-he", fixes[1].GetProperty("remedy").GetString());

        // "Switch to ReLU with He initialization" draws the 15 hidden dense layers it changes from He
        // normal (30 tensors) and continues the file's output layer (2 tensors): the title holds.
        Assert.Equal(2, fixes[1].GetProperty("kept_tensors").GetInt32());
        Assert.Equal(32, fixes[1].GetProperty("total_tensors").GetInt32());
        Assert.Equal(30, fixes[1].GetProperty("reinitialized").GetArrayLength());
        string network = fixes[1].GetProperty("spec").GetProperty("network").GetRawText();
        Assert.Contains("\"relu\"", network, StringComparison.Ordinal);
        Assert.Contains("\"he-normal\"", network, StringComparison.Ordinal);
        Assert.DoesNotContain("\"sigmoid\"", network, StringComparison.Ordinal);
        Assert.NotEqual(fixes[0].GetProperty("orders_lost").GetDouble(), fixes[1].GetProperty("orders_lost").GetDouble());
    }

    [Fact]
    public void Diagnose_HealthyModel_ExitsZero()
    {
        string model = Path.Combine(CliRunner.TempDir(), "relu.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--layers", "2x32", "--epochs", "10", "--save", model).Exit);
        var (exit, output, error) = CliRunner.Run("diagnose", "--model", model, "--data", "spiral", "--steps", "100");
        Assert.True(exit == 0, error + output);
        Assert.Contains("healthy", output);
    }
}
