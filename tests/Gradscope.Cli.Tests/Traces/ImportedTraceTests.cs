using System.Text.Json;

namespace Gradscope.Cli.Tests.Traces;

public sealed class ImportedTraceTests
{
    [Fact]
    public void RunsImport_HookTrace_StoresItAsATorchRunWithItsFindings()
    {
        string dir = CliRunner.TempDir();
        string store = Path.Combine(dir, "runs.db");
        string trace = HookTraces.Write(Path.Combine(dir, "sigmoid.jsonl"), HookTraces.Mlp(19, 16, 4, 2, "sigmoid", 1), 40, 0.25);

        var (exit, output, error) = CliRunner.Run("runs", "import", trace, "--store", store, "--tag", "pytorch");

        Assert.True(exit == 0, error);
        Assert.Contains("(torch, 40 steps, completed, 2 finding(s))", output);
        var list = CliRunner.Run("runs", "list", "--store", store, "--json");
        using var json = JsonDocument.Parse(list.Out);
        var run = json.RootElement[0];
        Assert.Equal("torch", run.GetProperty("kind").GetString());
        Assert.Equal("torch-fixture", run.GetProperty("name").GetString());
        var tags = run.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains("imported", tags);
        Assert.Contains("pytorch", tags);
    }

    [Fact]
    public void RunsImport_SameFileTwice_IsRefused()
    {
        string dir = CliRunner.TempDir();
        string store = Path.Combine(dir, "runs.db");
        string trace = HookTraces.Write(Path.Combine(dir, "t.jsonl"), HookTraces.Mlp(3, 8, 4, 2, "relu", Math.Sqrt(2)), 12, 1.0);

        var first = CliRunner.Run("runs", "import", trace, "--store", store);
        var second = CliRunner.Run("runs", "import", trace, "--store", store);

        Assert.Equal(0, first.Exit);
        Assert.Equal(1, second.Exit);
        Assert.Contains("already in", second.Err);
        Assert.Contains("nothing imported", second.Err);
    }

    [Fact]
    public void RunsImport_TraceWithoutEndLine_IsInterrupted()
    {
        string dir = CliRunner.TempDir();
        string store = Path.Combine(dir, "runs.db");
        string trace = HookTraces.Write(Path.Combine(dir, "killed.jsonl"), HookTraces.Mlp(3, 8, 4, 2, "relu", Math.Sqrt(2)), 12, 1.0, end: false);

        var (exit, output, _) = CliRunner.Run("runs", "import", trace, "--store", store);

        Assert.Equal(0, exit);
        Assert.Contains("interrupted", output);
    }

    [Fact]
    public void RunsRerun_ImportedRun_IsAUsageError()
    {
        string dir = CliRunner.TempDir();
        string store = Path.Combine(dir, "runs.db");
        string trace = HookTraces.Write(Path.Combine(dir, "t.jsonl"), HookTraces.Mlp(3, 8, 4, 2, "relu", Math.Sqrt(2)), 12, 1.0);
        var imported = CliRunner.Run("runs", "import", trace, "--store", store);
        string id = imported.Out.Split(" as run ")[1][..26];

        var (exit, _, error) = CliRunner.Run("runs", "rerun", id, "--store", store);

        Assert.Equal(2, exit);
        Assert.Contains("imported from a trace; it has no run description", error);
    }

    [Fact]
    public void ReportAndExport_HookTrace_AreWrittenWithoutActivationStatsOfTheHead()
    {
        string dir = CliRunner.TempDir();
        string trace = HookTraces.Write(Path.Combine(dir, "torch.jsonl"), HookTraces.Mlp(5, 8, 4, 2, "tanh", 1), 20, 0.8);
        string html = Path.Combine(dir, "r.html");
        string logs = Path.Combine(dir, "logs");
        string csv = Path.Combine(dir, "t.csv");

        var report = CliRunner.Run("report", trace, "-o", html);
        var tensorboard = CliRunner.Run("export", trace, "--format", "tensorboard", "-o", logs);
        var tidy = CliRunner.Run("export", trace, "--format", "csv", "-o", csv);

        Assert.True(report.Exit == 0, report.Err);
        Assert.Contains("net.10", File.ReadAllText(html));
        Assert.True(tensorboard.Exit == 0, tensorboard.Err);
        Assert.NotEmpty(Directory.GetFiles(logs, "events.out.tfevents.*", SearchOption.AllDirectories));
        Assert.True(tidy.Exit == 0, tidy.Err);
        Assert.Contains(File.ReadAllLines(csv), l => l.Contains(",6,net.10,delta_rms,", StringComparison.Ordinal));
    }

    [Fact]
    public void ExportJsonl_HookTrace_KeepsFrameworkAndInitStatistics()
    {
        string dir = CliRunner.TempDir();
        string trace = HookTraces.Write(Path.Combine(dir, "torch.jsonl"), HookTraces.Mlp(3, 8, 4, 2, "relu", Math.Sqrt(2)), 10, 1.0);
        string copy = Path.Combine(dir, "copy.jsonl");

        var exported = CliRunner.Run("export", trace, "--format", "jsonl", "-o", copy);

        Assert.True(exported.Exit == 0, exported.Err);
        string header = File.ReadLines(copy).First();
        Assert.Contains("\"framework\":{\"name\":\"pytorch\",\"version\":\"1.13.1\"}", header);
        Assert.Contains("\"module_kind\":\"Linear\",\"activation_module\":\"net.1\",\"init\":{", header);
        Assert.Equal(0, CliRunner.Run("diagnose", "--trace", copy).Exit);
    }

    [Fact]
    public void Report_HookTraceWithoutFindingLines_ShowsTheDiagnosisAndItsFileName()
    {
        string dir = CliRunner.TempDir();
        string trace = HookTraces.Write(Path.Combine(dir, "run.jsonl"), HookTraces.Mlp(19, 16, 4, 2, "sigmoid", 1), 40, 0.25);
        File.WriteAllText(trace, File.ReadAllText(trace).Replace("\"name\":\"torch-fixture\"", "\"name\":null", StringComparison.Ordinal));
        string html = Path.Combine(dir, "r.html");

        var report = CliRunner.Run("report", trace, "-o", html);

        Assert.True(report.Exit == 0, report.Err);
        string page = File.ReadAllText(html);
        Assert.Contains("\"kind\":\"Vanishing\"", page);
        Assert.Contains("Gradscope run run.jsonl", page);
        Assert.Contains("\"id\":\"run.jsonl\"", page);
    }
}
