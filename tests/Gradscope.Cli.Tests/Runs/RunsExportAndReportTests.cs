using System.Text.Json;

namespace Gradscope.Cli.Tests.Runs;

/// <summary>Stored runs leave the store as tidy tables, TensorBoard folders and HTML reports.</summary>
public sealed class RunsExportAndReportTests
{
    private static (string Store, string[] Ids) TwoStoredRuns()
    {
        string store = Path.Combine(CliRunner.TempDir(), "runs.db");
        foreach (string activation in new[] { "tanh", "sigmoid" })
        {
            var trained = CliRunner.Run("train", "--layers", "3x8", "--samples", "60", "--epochs", "2", "--activation", activation, "--store", store);
            Assert.True(trained.Exit == 0, trained.Err);
        }

        using var list = JsonDocument.Parse(CliRunner.Run("runs", "list", "--store", store, "--json").Out);
        return (store, [.. list.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()!)]);
    }

    [Fact]
    public void RunsExport_Csv_HoldsEveryRunsRows()
    {
        var (store, ids) = TwoStoredRuns();
        string csv = Path.Combine(CliRunner.TempDir(), "runs.csv");
        var exported = CliRunner.Run("runs", "export", ids[0][..10], ids[1], "--format", "csv", "-o", csv, "--store", store);
        Assert.True(exported.Exit == 0, exported.Err);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("run,step,layer,layer_name,statistic,value", lines[0]);
        foreach (string id in ids)
        {
            Assert.Contains(lines, l => l.StartsWith($"{id},0,,,loss,", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith($"{id},0,1,0,grad_rms,", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void RunsExport_TensorBoard_OneFolderPerRun()
    {
        var (store, ids) = TwoStoredRuns();
        string logs = Path.Combine(CliRunner.TempDir(), "logs");
        var exported = CliRunner.Run("runs", "export", ids[0], ids[1], "--format", "tensorboard", "-o", logs, "--store", store);
        Assert.True(exported.Exit == 0, exported.Err);
        var folders = Directory.GetDirectories(logs);
        Assert.Equal(2, folders.Length);
        Assert.All(folders, f => Assert.Single(Directory.GetFiles(f, "events.out.tfevents.*")));
    }

    [Fact]
    public void RunsExport_OntoTheStore_IsRefused()
    {
        var (store, ids) = TwoStoredRuns();
        var refused = CliRunner.Run("runs", "export", ids[0], "--format", "jsonl", "-o", store, "--store", store);
        Assert.Equal(2, refused.Exit);
        Assert.True(File.Exists(store));
        Assert.Equal(0, CliRunner.Run("runs", "show", ids[0], "--store", store).Exit);
    }

    [Fact]
    public void Report_FromStoredRunsAndATrace_SharesOneColourScale()
    {
        var (store, ids) = TwoStoredRuns();
        string dir = CliRunner.TempDir();
        string trace = Path.Combine(dir, "relu.jsonl");
        Assert.Equal(0, CliRunner.Run("train", "--layers", "3x8", "--samples", "60", "--epochs", "2", "--no-store", "--trace", trace).Exit);
        string html = Path.Combine(dir, "report.html");
        var written = CliRunner.Run("report", ids[0], ids[1][..12], trace, "-o", html, "--store", store);
        Assert.True(written.Exit == 0, written.Err);
        string page = File.ReadAllText(html);
        Assert.Contains(ids[0], page);
        Assert.Contains(ids[1], page);
        Assert.DoesNotContain("http://", page.Replace("http://www.w3.org", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Report_UnknownRunOrMissingFile_IsAClearError()
    {
        var (store, _) = TwoStoredRuns();
        string html = Path.Combine(CliRunner.TempDir(), "r.html");
        var unknown = CliRunner.Run("report", "ZZZZ", "-o", html, "--store", store);
        Assert.Equal(2, unknown.Exit);
        Assert.Contains("ZZZZ", unknown.Err);
        var missing = CliRunner.Run("report", "nope.jsonl", "-o", html, "--store", store);
        Assert.Equal(1, missing.Exit);
        Assert.Contains("nope.jsonl", missing.Err);
        Assert.False(File.Exists(html));
    }
}
