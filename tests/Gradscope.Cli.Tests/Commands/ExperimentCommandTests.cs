using System.Text.Json;
using Gradscope.Lab.Experiments;
using Gradscope.Lab.Tests.Runs;

namespace Gradscope.Cli.Tests.Commands;

public sealed class ExperimentCommandTests
{
    private const string Schema = "experiment-result.v1.schema.json";

    [Fact]
    public void List_Text_ShowsEveryExperimentOfTheCatalogue()
    {
        var (code, stdout, stderr) = CliRunner.Run("experiment", "list");
        Assert.True(code == 0, stderr);
        foreach (var experiment in ExperimentCatalogue.All)
            Assert.Contains(experiment.Name, stdout);
        Assert.Contains("Hochreiter and Schmidhuber (1997)", stdout);
    }

    [Fact]
    public void List_Json_HasNameSummaryAndPapers()
    {
        var (code, stdout, _) = CliRunner.Run("experiment", "list", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var names = doc.RootElement.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
        Assert.Equal(ExperimentCatalogue.Names(), names);
        var rnn = doc.RootElement.GetProperty("experiments").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "rnn-vs-lstm");
        Assert.Contains("Hochreiter and Schmidhuber (1997)", rnn.GetProperty("papers").EnumerateArray().Select(p => p.GetString()));
        Assert.False(string.IsNullOrEmpty(rnn.GetProperty("summary").GetString()));
    }

    [Fact]
    public void Run_Json_IsOneObjectValidAgainstTheSchema_NumbersAsNumbers_NonFiniteAndMissingAsNull()
    {
        var (code, stdout, stderr) = Run(new FakeExperiment(), "experiment", "run", "fake", "--json", "--seed", "3", "--no-store");
        Assert.True(code == 0, stderr);
        Assert.Empty(SchemaValidation.Errors(Schema, stdout));
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(("fake", false, 3), (root.GetProperty("experiment").GetString(), root.GetProperty("quick").GetBoolean(), root.GetProperty("seed").GetInt32()));
        Assert.Equal("xor, 1 x 4, seed 3", root.GetProperty("setup").GetString());
        var cells = root.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(10, cells[0].GetProperty("depth").GetInt32());
        Assert.Equal("plain [a]", cells[0].GetProperty("variant").GetString());
        Assert.Equal(1.5e-7, cells[0].GetProperty("ratio").GetDouble());
        Assert.Equal(JsonValueKind.Null, cells[0].GetProperty("loss").ValueKind);
        Assert.Equal(0.975, cells[0].GetProperty("accuracy").GetDouble());
        Assert.Equal(JsonValueKind.Null, cells[0].GetProperty("horizon").ValueKind);
        Assert.Equal(JsonValueKind.Null, cells[1].GetProperty("ratio").ValueKind);
        var table = Assert.Single(root.GetProperty("tables").EnumerateArray());
        Assert.Equal("the paper beside ours", table.GetProperty("title").GetString());
        Assert.Equal(["length", "paper_wrong"], table.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("key").GetString()));
        Assert.Equal(1, table.GetProperty("rows")[0].GetProperty("paper_wrong").GetInt32());
        var expectations = root.GetProperty("expectations").EnumerateArray().ToList();
        Assert.Equal("1 wrong of 2560 (Table 7)", expectations[0].GetProperty("paper").GetString());
        Assert.False(expectations[1].TryGetProperty("paper", out _));
        Assert.Equal(["a note"], root.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
        Assert.Empty(root.GetProperty("run_ids").EnumerateArray());
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public void Schema_RejectsWhatTheWriterNeverWrites()
    {
        var (_, stdout, _) = Run(new FakeExperiment(), "experiment", "fake", "--json", "--no-store");
        Assert.NotEmpty(SchemaValidation.Errors(Schema, stdout.Replace("\"passed\": true", "\"passed\": \"yes\"", StringComparison.Ordinal)));
        Assert.NotEmpty(SchemaValidation.Errors(Schema, stdout.Replace("\"run_ids\"", "\"runs\"", StringComparison.Ordinal)));
        Assert.NotEmpty(SchemaValidation.Errors(Schema, stdout.Replace("\"depth\": 10", "\"depth\": [10]", StringComparison.Ordinal)));
    }

    [Fact]
    public void ShortForm_RunsLikeRun()
    {
        var experiment = new FakeExperiment();
        var (code, stdout, stderr) = Run(experiment, "experiment", "fake", "--quick", "--seed", "2", "--parallel", "3", "--data-dir", "/nowhere", "--no-store");
        Assert.True(code == 0, stderr);
        Assert.Equal(1, experiment.Runs);
        Assert.Equal((true, 2, 3, "/nowhere"), (experiment.Settings!.Quick, experiment.Settings.Seed, experiment.Settings.Workers, experiment.Settings.DataDir));
        var (_, viaRun, _) = Run(new FakeExperiment(), "experiment", "run", "fake", "--quick", "--seed", "2", "--no-store");
        Assert.Equal(Lines(viaRun), Lines(stdout));
    }

    [Fact]
    public void Run_Text_PrintsSetupTablesExpectationsNotesTimeAndProgress()
    {
        var (code, stdout, stderr) = Run(new FakeExperiment(), "experiment", "run", "fake", "--no-store");
        Assert.True(code == 0, stderr);
        Assert.StartsWith("Gradscope experiment fake", stdout);
        for (int i = 0; i < 4; i++)
            Assert.Contains($"  cell {i} done" + Environment.NewLine, stdout);
        Assert.Contains("setup: xor, 1 x 4, seed 1", stdout);
        Assert.Matches(@"\| 10 +\| +plain \[a\] \| +1\.50e-07 \| +nan \| +97\.5% \| +- \|", stdout);
        Assert.Contains("the paper beside ours", stdout);
        Assert.Contains("PASS  it trains: loss 0.25  (paper: 1 wrong of 2560 (Table 7))", stdout);
        Assert.Contains("PASS  it stalls: loss 1.09" + Environment.NewLine, stdout);
        Assert.Contains("note: a note", stdout);
        Assert.Matches(@"\n\d+\.\d s\r?\n", stdout);
    }

    [Fact]
    public void Run_FailingExpectation_Exits1_AndSaysFail()
    {
        var (code, stdout, _) = Run(new FakeExperiment(fails: true), "experiment", "run", "fake", "--no-store");
        Assert.Equal(1, code);
        Assert.Contains("FAIL  it stalls: loss 1.09", stdout);
        var (jsonCode, json, _) = Run(new FakeExperiment(fails: true), "experiment", "fake", "--json", "--no-store");
        Assert.Equal(1, jsonCode);
        using var doc = JsonDocument.Parse(json);
        Assert.False(doc.RootElement.GetProperty("expectations")[1].GetProperty("passed").GetBoolean());
    }

    [Fact]
    public void Run_RecordsItsRunsTaggedWithTheExperiment_AndPrintsTheirIds()
    {
        string store = Path.Combine(CliRunner.TempDir(), "g.db");
        var (code, stdout, stderr) = Run(new FakeExperiment(trains: true), "experiment", "run", "fake", "--json", "--store", store);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        string id = Assert.Single(doc.RootElement.GetProperty("run_ids").EnumerateArray()).GetString()!;
        using var list = JsonDocument.Parse(CliRunner.Run("runs", "list", "--store", store, "--tag", "experiment:fake", "--json").Out);
        var run = Assert.Single(list.RootElement.EnumerateArray());
        Assert.Equal((id, "tiny xor", "experiment"), (run.GetProperty("id").GetString(), run.GetProperty("name").GetString(), run.GetProperty("kind").GetString()));

        var (_, text, _) = Run(new FakeExperiment(trains: true), "experiment", "fake", "--store", store);
        Assert.Matches($@"recorded run [0-9A-Z]{{26}} in {System.Text.RegularExpressions.Regex.Escape(store)}: [0-9A-Z]{{26}}", text);
    }

    [Fact]
    public void Run_Report_WritesTheHtmlPage()
    {
        string path = Path.Combine(CliRunner.TempDir(), "fake.html");
        var (code, _, stderr) = Run(new FakeExperiment(), "experiment", "fake", "--report", path, "--no-store");
        Assert.True(code == 0, stderr);
        string html = File.ReadAllText(path);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("1.50e-07", html);
        Assert.Contains("<svg", html);
    }

    [Fact]
    public void Run_ReportIntoAFolder_IsUsageError_BeforeAnythingRuns()
    {
        var experiment = new FakeExperiment();
        string dir = CliRunner.TempDir();
        var (code, stdout, stderr) = Run(experiment, "experiment", "fake", "--report", dir, "--no-store");
        Assert.Equal(2, code);
        Assert.Equal(0, experiment.Runs);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith($"error: --report '{dir}' is", stderr);
    }

    [Fact]
    public void Run_ReportToStandardOutputWithJson_IsUsageError()
    {
        var (code, _, stderr) = Run(new FakeExperiment(), "experiment", "fake", "--json", "--report", "-", "--no-store");
        Assert.Equal(2, code);
        Assert.Equal("error: --report - and --json both write standard output; give --report a file name.", stderr.Trim());
    }

    [Theory]
    [InlineData("experiment", "resnet-magic")]
    [InlineData("experiment", "run", "resnet-magic", "--quick")]
    public void UnknownExperiment_IsUsageError_ListingValidNames(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal($"error: Unknown experiment 'resnet-magic'. Valid experiments: {string.Join(", ", ExperimentCatalogue.Names())}.", stderr.Trim());
    }

    [Fact]
    public void NoName_IsUsageError_SayingHowToNameOrListThem()
    {
        var (code, _, stderr) = CliRunner.Run("experiment");
        Assert.Equal(2, code);
        Assert.StartsWith("error: Name an experiment ('gradscope experiment run NAME') or list them ('gradscope experiment list'). Valid experiments: rnn-vs-lstm", stderr);
    }

    [Fact]
    public void RunWithoutName_PointsAtTheHelpOfExperimentRun()
    {
        var (code, _, stderr) = CliRunner.Run("experiment", "run");
        Assert.Equal(2, code);
        Assert.EndsWith("(see 'gradscope experiment run --help')", stderr.Trim());
    }

    [Theory]
    [InlineData("--parallel", "0", "error: --parallel must be at least 1; got 0.")]
    [InlineData("--report", "", "error: --report needs a file name; got an empty string.")]
    public void BadOption_IsUsageError(string option, string value, string expected)
    {
        var experiment = new FakeExperiment();
        var (code, _, stderr) = Run(experiment, "experiment", "run", "fake", option, value, "--no-store");
        Assert.Equal(2, code);
        Assert.Equal(expected, stderr.Trim());
        Assert.Equal(0, experiment.Runs);
    }

    private static string[] Lines(string text) => text.Split('\n').Where(l => !System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d+\.\d s\r?$")).ToArray();

    private static (int Code, string Stdout, string Stderr) Run(IExperiment experiment, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr, plain: true, experiments: [experiment, .. ExperimentCatalogue.All]);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
