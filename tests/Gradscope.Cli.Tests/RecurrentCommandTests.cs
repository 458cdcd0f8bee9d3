using System.Text.Json;

namespace Gradscope.Cli.Tests;

/// <summary>Recurrent networks through the ordinary commands: train on a sequence task, save, inspect, diagnose.</summary>
public sealed class RecurrentCommandTests
{
    private const string Rnn = """{"layers": [{"type": "rnn", "module": "rnn", "hidden": 16, "activation": "tanh"}], "output": {"units": 1, "module": "head"}}""";

    [Fact]
    public void Diagnose_SavedRnnOnAddingT50_ReportsVanishingThroughTimeAsError()
    {
        string dir = CliRunner.TempDir();
        string spec = Path.Combine(dir, "rnn.json"), model = Path.Combine(dir, "rnn.safetensors");
        File.WriteAllText(spec, Rnn);
        var (trainExit, _, trainError) = CliRunner.Run("train", "--data", "adding", "--seq-len", "50", "--samples", "256", "--model-spec", spec,
            "--max-steps", "20", "--optimizer", "adam", "--lr", "0.01", "--save", model, "--json");
        Assert.True(trainExit == 0, trainError);

        // The task and its length come from the model's metadata.
        var (exit, output, error) = CliRunner.Run("diagnose", "--model", model, "--data", "adding", "--samples", "256", "--steps", "20", "--json");

        Assert.True(exit == 1, error);
        using var doc = JsonDocument.Parse(output);
        var finding = doc.RootElement.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("kind").GetString() == "VanishingThroughTime");
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        var layer = finding.GetProperty("layers")[0];
        Assert.Equal(1, layer.GetProperty("layer").GetInt32());
        Assert.Equal("rnn", layer.GetProperty("name").GetString());
        Assert.True(finding.GetProperty("evidence").GetProperty("orders_lost").GetDouble() >= 4);
        Assert.Equal(4, finding.GetProperty("thresholds").GetProperty("error_orders").GetDouble());
        Assert.Contains("lstm", finding.GetProperty("remedies").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public void Train_AddingTask_HeaderDescribesSequencesAndRegressionTargets()
    {
        string dir = CliRunner.TempDir();
        string spec = Path.Combine(dir, "rnn.json");
        File.WriteAllText(spec, Rnn);

        var (exit, output, error) = CliRunner.Run("train", "--data", "adding", "--seq-len", "12", "--samples", "64", "--model-spec", spec, "--max-steps", "2", "--no-store");

        Assert.True(exit == 0, error);
        Assert.Contains("sequences of 12 steps x 2 features, 1 regression target", output);
        Assert.DoesNotContain("classes", output.Split('\n')[0]);
    }

    [Fact]
    public void Inspect_SavedRnn_NamesTheRecurrentLayerAndItsTensors()
    {
        string dir = CliRunner.TempDir();
        string spec = Path.Combine(dir, "rnn.json"), model = Path.Combine(dir, "rnn.safetensors");
        File.WriteAllText(spec, Rnn);
        var (trainExit, _, trainError) = CliRunner.Run("train", "--data", "adding", "--seq-len", "12", "--samples", "128", "--model-spec", spec, "--max-steps", "3", "--save", model, "--json");
        Assert.True(trainExit == 0, trainError);

        var (exit, output, error) = CliRunner.Run("inspect", "--model", model, "--data", "adding", "--samples", "64", "--json");

        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(["rnn", "head"], doc.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("name").GetString()));
        Assert.Equal(["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "head.weight", "head.bias"],
            doc.RootElement.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("""{"layers": [{"type": "lstm"}]}""", "needs \"hidden\"")]
    [InlineData("""{"layers": [{"type": "gru", "hidden": 8, "sequence": "middle"}]}""", "\"sequence\" must be \"last\"")]
    public void Train_MalformedRecurrentSpec_IsBadDataNamingTheFile(string json, string expected)
    {
        string spec = Path.Combine(CliRunner.TempDir(), "bad.json");
        File.WriteAllText(spec, json);

        var (exit, _, error) = CliRunner.Run("train", "--data", "adding", "--model-spec", spec, "--max-steps", "1");

        // Like any malformed model spec file: bad input data, exit 1.
        Assert.Equal(1, exit);
        Assert.Contains("bad.json", error);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void PrintSpec_RecurrentRun_RoundTripsThroughRunSpec()
    {
        string dir = CliRunner.TempDir();
        string spec = Path.Combine(dir, "rnn.json"), run = Path.Combine(dir, "run.json");
        File.WriteAllText(spec, Rnn);
        var (exit, printed, error) = CliRunner.Run("train", "--data", "adding", "--seq-len", "30", "--samples", "200", "--model-spec", spec, "--max-steps", "5", "--print-spec");
        Assert.True(exit == 0, error);
        File.WriteAllText(run, printed);

        var (again, reprinted, error2) = CliRunner.Run("train", "--run-spec", run, "--print-spec");

        Assert.True(again == 0, error2);
        Assert.Equal(printed, reprinted);
        using var doc = JsonDocument.Parse(printed);
        Assert.Equal(30, doc.RootElement.GetProperty("data").GetProperty("seq_len").GetInt32());
        Assert.Equal("mse", doc.RootElement.GetProperty("loss").GetString());
        Assert.Equal("rnn", doc.RootElement.GetProperty("network").GetProperty("layers")[0].GetProperty("type").GetString());
    }
}
