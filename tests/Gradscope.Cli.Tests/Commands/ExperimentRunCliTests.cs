using System.Text.Json;
using Gradscope.Cli.Tests.Outputs;
using Gradscope.Lab.Tests.Experiments;
using Gradscope.Lab.Tests.Runs;
using Gradscope.TestSupport;

namespace Gradscope.Cli.Tests.Commands;

/// <summary>
/// The two moved experiments through the command, as a user runs them (their quick versions, tens
/// of seconds each): run by the experiments stage of <c>.ci/run</c>, skipped by the default run.
/// </summary>
[Collection(ExperimentCollection.Name)]
public sealed class ExperimentRunCliTests
{
    [ExperimentFact]
    [Trait("Category", "Experiments")]
    public void RnnVsLstm_QuickJson_OneRowPerLengthAndCell_AllExpectationsPass()
    {
        var (code, stdout, stderr) = CliRunner.Run("experiment", "rnn-vs-lstm", "--quick", "--json", "--no-store");
        Assert.True(code == 0, stderr + stdout);
        Assert.Empty(SchemaValidation.Errors("experiment-result.v1.schema.json", stdout));
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("rnn-vs-lstm", root.GetProperty("experiment").GetString());
        var rows = root.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal([10, 10, 10, 20, 20, 20, 50, 50, 50], rows.Select(r => r.GetProperty("length").GetInt32()));
        Assert.Equal(["rnn", "lstm", "gru"], rows.Take(3).Select(r => r.GetProperty("cell").GetString()));
        foreach (var row in rows)
        {
            Assert.InRange(row.GetProperty("accuracy").GetDouble(), 0.0, 1.0);
            Assert.InRange(row.GetProperty("memory_horizon").GetInt32(), 1, 55);
            Assert.True(row.GetProperty("gradient_ratio").GetDouble() > 0);
            Assert.InRange(row.GetProperty("fresh_wrong").GetInt32(), 0, 2560);
        }

        var rnn50 = rows.Single(r => r.GetProperty("length").GetInt32() == 50 && r.GetProperty("cell").GetString() == "rnn");
        Assert.Contains("VanishingThroughTime", rnn50.GetProperty("findings").GetString());
        var paper = root.GetProperty("tables")[0];
        Assert.Equal([1, 0, 1], paper.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("paper_wrong").GetInt32()));
        Assert.All(root.GetProperty("expectations").EnumerateArray(), e => Assert.True(e.GetProperty("passed").GetBoolean(), e.GetProperty("name").GetString() + ": " + e.GetProperty("measured").GetString()));
    }

    [ExperimentFact]
    [Trait("Category", "Experiments")]
    public void ResidualVsPlain_QuickText_AllPass_RunsRecordedTagged()
    {
        string store = Path.Combine(CliRunner.TempDir(), "g.db");
        var (code, stdout, stderr) = CliRunner.Run("experiment", "run", "residual-vs-plain", "--quick", "--store", store);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("setup: spiral (3 classes), depth = 10, 30, 50 x 32, sigmoid", stdout);
        Assert.Equal(9, stdout.Split('\n').Count(l => l.StartsWith("PASS  ", StringComparison.Ordinal)));
        Assert.DoesNotContain("FAIL", stdout);
        Assert.Matches(@"\| 50 +\| +plain \| +\d\.\d\de-\d\d \| +\d\d\.\d \| +1\.09\d\d \|", stdout);
        Assert.Contains("recorded 12 runs in", stdout);
        using var list = JsonDocument.Parse(CliRunner.Run("runs", "list", "--store", store, "--tag", "experiment:residual-vs-plain", "--json").Out);
        Assert.Equal(12, list.RootElement.GetArrayLength());
    }

    [UnixFact]
    public void Run_Sigint_StopsTheExperiment_Exits130()
    {
        string dir = CliRunner.TempDir();
        using var cli = CliProcess.Start(dir, "experiment", "run", "residual-vs-plain", "--no-store");
        Assert.True(cli.WaitForOutput("Gradscope experiment residual-vs-plain"), cli.Err);
        cli.Signal("INT");
        int exit = cli.WaitForExit();

        Assert.True(exit == 130, $"exit {exit}: {cli.Err}");
        Assert.Contains("interrupted: experiment residual-vs-plain stopped before it finished", cli.Err);
        Assert.DoesNotContain("PASS", cli.Out);
    }
}
