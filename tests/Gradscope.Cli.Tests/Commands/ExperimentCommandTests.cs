using System.Text.Json;

namespace Gradscope.Cli.Tests.Commands;

public sealed class ExperimentCommandTests
{
    [Fact]
    [Trait("Category", "Experiment")]
    public void RnnVsLstm_QuickJson_PrintsOneRowPerLengthAndCell()
    {
        var (code, stdout, stderr) = Run("experiment", "rnn-vs-lstm", "--quick", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("rnn-vs-lstm", root.GetProperty("experiment").GetString());
        Assert.True(root.GetProperty("quick").GetBoolean());
        Assert.Equal(1, root.GetProperty("seed").GetInt32());
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(9, rows.Count);
        Assert.Equal([10, 10, 10, 20, 20, 20, 50, 50, 50], rows.Select(r => r.GetProperty("length").GetInt32()));
        Assert.Equal(["rnn", "lstm", "gru"], rows.Take(3).Select(r => r.GetProperty("cell").GetString()));
        foreach (var row in rows)
        {
            Assert.InRange(row.GetProperty("accuracy").GetDouble(), 0.0, 1.0);
            Assert.InRange(row.GetProperty("memory_horizon").GetInt32(), 1, 55);
            Assert.True(row.GetProperty("gradient_ratio").GetDouble() > 0);
            Assert.True(row.GetProperty("grad_norm_from_end").GetArrayLength() >= row.GetProperty("length").GetInt32());
        }

        var rnn50 = rows.Single(r => r.GetProperty("length").GetInt32() == 50 && r.GetProperty("cell").GetString() == "rnn");
        Assert.Contains("VanishingThroughTime", rnn50.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("kind").GetString()));
        Assert.Equal("rnn", rnn50.GetProperty("spec").GetProperty("network").GetProperty("layers")[0].GetProperty("type").GetString());
        Assert.Equal(50, rnn50.GetProperty("spec").GetProperty("data").GetProperty("seq_len").GetInt32());
        Assert.All(root.GetProperty("expectations").EnumerateArray(), e => Assert.True(e.GetProperty("met").GetBoolean(), e.GetProperty("description").GetString()));
    }

    [Fact]
    [Trait("Category", "Experiment")]
    public void ResidualVsPlain_QuickJson_PrintsOneRowPerDepthAndVariant()
    {
        var (code, stdout, stderr) = Run("experiment", "residual-vs-plain", "--quick", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("residual-vs-plain", root.GetProperty("experiment").GetString());
        Assert.True(root.GetProperty("quick").GetBoolean());
        Assert.Equal(Math.Log(3), root.GetProperty("chance_loss").GetDouble(), 12);
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([10, 10, 10, 10, 30, 30, 30, 30, 50, 50, 50, 50], rows.Select(r => r.GetProperty("depth").GetInt32()));
        Assert.Equal(["plain", "residual", "batch-norm", "residual+batch-norm"], rows.Take(4).Select(r => r.GetProperty("variant").GetString()));
        foreach (var row in rows)
        {
            Assert.Equal("sigmoid", row.GetProperty("activation").GetString());
            Assert.InRange(row.GetProperty("accuracy").GetDouble(), 0.0, 1.0);
            Assert.True(row.GetProperty("first_to_last_ratio").GetDouble() > 0);
            Assert.True(row.GetProperty("final_loss").GetDouble() > 0);

            // Each row's run description is the run: its depth, activation and norms.
            var spec = Gradscope.Lab.Runs.RunSpecJson.Read(row.GetProperty("spec"), "row");
            var layers = spec.Network.Layers;
            string variant = row.GetProperty("variant").GetString()!;
            Assert.Equal(row.GetProperty("depth").GetInt32(), CountDense(layers));
            Assert.Equal(variant.Contains("residual", StringComparison.Ordinal), layers.Any(l => l is Gradscope.Training.ResidualSpec));
            Assert.Equal(variant.Contains("batch-norm", StringComparison.Ordinal), row.GetProperty("spec").GetProperty("network").GetRawText().Contains("batchnorm", StringComparison.Ordinal));
        }

        var plain50 = rows.Single(r => r.GetProperty("depth").GetInt32() == 50 && r.GetProperty("variant").GetString() == "plain");
        Assert.Contains(plain50.GetProperty("findings").EnumerateArray(), f => f.GetProperty("kind").GetString() == "Vanishing");
        Assert.All(root.GetProperty("expectations").EnumerateArray(), e => Assert.True(e.GetProperty("met").GetBoolean(), e.GetProperty("description").GetString()));
    }

    private static int CountDense(IReadOnlyList<Gradscope.Training.LayerSpec> layers) =>
        layers.Sum(l => l switch { Gradscope.Training.DenseSpec => 1, Gradscope.Training.ResidualSpec r => CountDense(r.Layers), _ => 0 });

    [Fact]
    public void UnknownExperiment_IsUsageError_ListingValidNames()
    {
        var (code, stdout, stderr) = Run("experiment", "resnet-magic");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("error: Unknown experiment 'resnet-magic'. Valid experiments: rnn-vs-lstm, residual-vs-plain.", stderr.Trim());
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr, plain: true);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
