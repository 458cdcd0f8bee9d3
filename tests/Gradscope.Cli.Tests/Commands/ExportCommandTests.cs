namespace Gradscope.Cli.Tests.Commands;

public sealed class ExportCommandTests
{
    private static string TrainedTrace(string dir, string name = "run.jsonl")
    {
        string trace = Path.Combine(dir, name);
        var (exit, _, error) = CliRunner.Run("train", "--data", "spiral", "--layers", "3x8", "--activation", "tanh", "--epochs", "1", "--monitor", "standard", "--trace", trace);
        Assert.True(exit == 0, error);
        return trace;
    }

    [Fact]
    public void TrainTrace_IsVersion2_WithAnEndLine()
    {
        var lines = File.ReadAllLines(TrainedTrace(CliRunner.TempDir()));
        Assert.StartsWith("{\"type\":\"header\",\"format\":\"gradscope-trace\",\"version\":2,", lines[0]);
        Assert.StartsWith("{\"type\":\"end\",\"status\":\"completed\"", lines[^1]);
    }

    [Fact]
    public void Csv_FromATrace_IsATidyTable()
    {
        string dir = CliRunner.TempDir();
        string trace = TrainedTrace(dir);
        string csv = Path.Combine(dir, "run.csv");
        var (exit, output, error) = CliRunner.Run("export", trace, "--format", "csv", "-o", csv);
        Assert.True(exit == 0, error);
        Assert.Contains("wrote", output);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("run,step,layer,layer_name,statistic,value", lines[0]);
        // The trace carries the run's store id, which labels its rows.
        string id = RunId(trace);
        Assert.StartsWith($"{id},0,,,loss,", lines[1]);
        Assert.Contains(lines, l => l.StartsWith($"{id},0,2,2,grad_rms,", StringComparison.Ordinal));
    }

    [Fact]
    public void TensorBoard_WritesOneSubfolderPerTrace()
    {
        string dir = CliRunner.TempDir();
        string a = TrainedTrace(dir, "a.jsonl"), b = TrainedTrace(dir, "b.jsonl");
        var (exit, _, error) = CliRunner.Run("export", a, b, "--format", "tensorboard", "-o", Path.Combine(dir, "logs"));
        Assert.True(exit == 0, error);
        // One sub-folder per run, named by the run's id (its name when it has one).
        Assert.Equal(new[] { RunId(a), RunId(b) }.Order(), Directory.GetDirectories(Path.Combine(dir, "logs")).Select(Path.GetFileName).Order());
        Assert.Single(Directory.GetFiles(Path.Combine(dir, "logs", RunId(a)), "events.out.tfevents.*"));
    }

    [Fact]
    public void UnknownFormat_IsBadUsage()
    {
        string dir = CliRunner.TempDir();
        var (exit, _, error) = CliRunner.Run("export", TrainedTrace(dir), "--format", "xlsx", "-o", Path.Combine(dir, "x"));
        Assert.Equal(2, exit);
        Assert.Contains("--format: unknown format 'xlsx'", error);
    }

    [Fact]
    public void MissingOutput_IsBadUsage()
    {
        var (exit, _, error) = CliRunner.Run("export", "run.jsonl", "--format", "csv");
        Assert.Equal(2, exit);
        Assert.Contains("-o", error);
    }

    [Fact]
    public void MalformedTrace_FailsNamingFileAndLine()
    {
        string dir = CliRunner.TempDir();
        string trace = TrainedTrace(dir);
        var lines = File.ReadAllLines(trace).ToList();
        lines.Insert(3, "{\"type\":\"step\",\"step\":\"three\"}");
        File.WriteAllLines(trace, lines);
        var (exit, _, error) = CliRunner.Run("export", trace, "--format", "csv", "-o", Path.Combine(dir, "x.csv"));
        Assert.Equal(1, exit);
        Assert.Contains($"{trace}:4: \"step\" is required (an integer)", error);
        Assert.False(File.Exists(Path.Combine(dir, "x.csv")));
    }

    [Fact]
    public void OutputOverTheTrace_IsRefused()
    {
        string dir = CliRunner.TempDir();
        string trace = TrainedTrace(dir);
        var (exit, _, error) = CliRunner.Run("export", trace, "--format", "jsonl", "-o", trace);
        Assert.Equal(2, exit);
        Assert.Contains("-o", error);
    }

    private static string RunId(string trace)
    {
        using var header = System.Text.Json.JsonDocument.Parse(File.ReadLines(trace).First());
        return header.RootElement.GetProperty("id").GetString()!;
    }
}
