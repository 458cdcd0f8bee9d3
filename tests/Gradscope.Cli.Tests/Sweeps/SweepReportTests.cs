using System.Text.Json;

namespace Gradscope.Cli.Tests.Sweeps;

public sealed class SweepReportTests
{
    [Fact]
    public void ReportSweep_WritesMatricesOfDepthByActivation_OnePerInit()
    {
        string store = SweepTestStore.NewStore();
        Assert.Equal(0, SweepTestStore.Run(store, "--name", "m", "--layers", "2x8", "--layers", "5x8", "--activation", "tanh,relu", "--init", "glorot-uniform,he-normal").Exit);
        string html = Path.Combine(CliRunner.TempDir(), "m.html");
        var (exit, output, err) = CliRunner.Run("report", "--sweep", "m", "-o", html, "--store", store);
        Assert.True(exit == 0, err);
        Assert.Contains("wrote", output);
        string page = File.ReadAllText(html);
        Assert.DoesNotContain("{{", page);
        string json = page[(page.IndexOf("type=\"application/json\">", StringComparison.Ordinal) + 24)..page.IndexOf("</script>", StringComparison.Ordinal)];
        using var doc = JsonDocument.Parse(json);
        var panels = doc.RootElement.GetProperty("panels").EnumerateArray().ToList();
        Assert.Equal(["init glorot-uniform", "init he-normal"], panels.Select(p => p.GetProperty("title").GetString()).Order());
        Assert.All(panels, p =>
        {
            Assert.Equal([2, 5], p.GetProperty("depths").EnumerateArray().Select(d => d.GetInt32()));
            Assert.Equal(["tanh", "relu"], p.GetProperty("activations").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal(1, p.GetProperty("cells").GetProperty("5|relu").GetProperty("test_accuracy").GetProperty("n").GetInt32());
        });

        (exit, _, err) = CliRunner.Run("report", "--sweep", "nope", "-o", html, "--store", store);
        Assert.Equal(2, exit);
        Assert.Contains("no sweep 'nope'", err);
        (exit, _, _) = CliRunner.Run("report", "-o", html, "--store", store);
        Assert.Equal(2, exit);
    }
}
