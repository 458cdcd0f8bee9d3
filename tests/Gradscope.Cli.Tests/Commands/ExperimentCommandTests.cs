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
        Assert.Equal("VanishingThroughTime", rnn50.GetProperty("finding").GetProperty("kind").GetString());
        Assert.All(root.GetProperty("expectations").EnumerateArray(), e => Assert.True(e.GetProperty("met").GetBoolean(), e.GetProperty("description").GetString()));
    }

    [Fact]
    public void UnknownExperiment_IsUsageError_ListingValidNames()
    {
        var (code, stdout, stderr) = Run("experiment", "resnet-magic");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("error: Unknown experiment 'resnet-magic'. Valid experiments: rnn-vs-lstm.", stderr.Trim());
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr, plain: true);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
