using System.Text.RegularExpressions;

namespace Gradscope.Cli.Tests.Commands;

public sealed partial class ReportOptionTests
{
    [Fact]
    public void Train_Report_WritesOneSelfContainedPageWithHistograms()
    {
        string path = Path.Combine(CliRunner.TempDir(), "run.html");
        var (exit, stdout, stderr) = CliRunner.Run("train", "--data", "spiral", "--layers", "3x8", "--epochs", "1", "--report", path);
        Assert.True(exit == 0, stderr);
        Assert.Contains($"wrote report to {path}", stdout, StringComparison.Ordinal);
        string html = File.ReadAllText(path);
        Assert.Single(HeatmapElement().Matches(html));
        Assert.Contains("\"status\":\"completed\"", html, StringComparison.Ordinal);
        // --report records histograms (the standard monitor) unless --monitor says otherwise.
        Assert.Matches("\"gradient\":\\{\"decades\"", html);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_ReportWithMonitorOff_IsBadUsage()
    {
        string path = Path.Combine(CliRunner.TempDir(), "run.html");
        var (exit, _, stderr) = CliRunner.Run("train", "--data", "spiral", "--layers", "2x8", "--epochs", "1", "--monitor", "off", "--report", path);
        Assert.Equal(2, exit);
        Assert.Contains("--report needs the monitor", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Train_ReportIntoAFolder_IsRefusedBeforeTraining()
    {
        string dir = CliRunner.TempDir();
        var (exit, stdout, stderr) = CliRunner.Run("train", "--data", "spiral", "--layers", "2x8", "--epochs", "1", "--report", dir);
        Assert.Equal(2, exit);
        Assert.Contains("--report", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_Report_ComparesTheThreeRunsOnOneScale()
    {
        string path = Path.Combine(CliRunner.TempDir(), "demo.html");
        var (exit, stdout, stderr) = CliRunner.Run("demo", "--layers", "3x8", "--epochs", "1", "--report", path);
        Assert.True(exit == 0, stderr);
        Assert.Contains($"wrote {path}", stdout, StringComparison.Ordinal);
        var heatmaps = HeatmapElement().Matches(File.ReadAllText(path));
        Assert.Equal(3, heatmaps.Count);
        Assert.Single(heatmaps.Select(m => m.Groups[1].Value + "/" + m.Groups[2].Value).Distinct());
    }

    [GeneratedRegex("""<canvas class="chart heatmap" data-run="\d+" data-vmin="([^"]+)" data-vmax="([^"]+)"[^>]*>""")]
    private static partial Regex HeatmapElement();
}
