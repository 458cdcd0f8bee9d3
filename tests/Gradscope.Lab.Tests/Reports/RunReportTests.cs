using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gradscope.Diagnostics;
using Gradscope.Lab.Reports;
using Gradscope.Lab.Reports.Html;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Tests.Reports;

public sealed partial class RunReportTests
{
    private static readonly Lazy<RunRecord[]> Runs = new(() => [Record("deep sigmoid", "sigmoid", "standard", 8), Record("relu <b>he</b>", "relu", "he-normal", 3)]);

    private static RunRecord Record(string name, string activation, string init, int depth)
    {
        var config = new TestFlags { Data = "spiral", Hidden = [.. Enumerable.Repeat(16, depth)], Activation = activation, Init = init, Epochs = 2, Seed = 1, Optimizer = "sgd", LearningRate = 0.1 };
        var result = MonitoredRun.Run(config, MonitorOptions.For(MonitorPreset.Standard));
        return new RunRecord { Id = name, Name = name, Spec = config, Trace = result.Trace, Findings = result.Report.Findings };
    }

    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(600, 1, 600)]
    [InlineData(601, 2, 301)]
    [InlineData(10_000, 17, 589)]
    public void StepWindows_KeepEveryStepUpTo600(int recorded, int size, int count)
    {
        var windows = new StepWindows(recorded);
        Assert.Equal(size, windows.Size);
        Assert.Equal(count, windows.Count);
        Assert.True(windows.Count <= StepWindows.MaxColumns);
        if (count > 0)
            Assert.Equal(recorded, windows.End(count - 1));
    }

    [Fact]
    public void StepWindows_KeepMinimumAndMaximum_ABreakIsTheMaximum()
    {
        Assert.Equal((1.0, 3.0), StepWindows.Of([3, 1, 2]));
        Assert.Equal((0.0, 5.0), StepWindows.Of([5, 0, 2]));
        var broken = StepWindows.Of([1, double.PositiveInfinity, 5, double.NaN]);
        Assert.Equal(1.0, broken.Min);
        Assert.Equal(double.PositiveInfinity, broken.Max);
        Assert.True(double.IsNaN(StepWindows.Of([]).Min));
    }

    [Fact]
    public void ColorRange_SpansEveryRun()
    {
        var runs = Runs.Value;
        var shared = ColorRange.Shared(runs.Select(r => r.Trace), LayerStat.DeltaRms);
        var first = ColorRange.Shared([runs[0].Trace], LayerStat.DeltaRms);
        var second = ColorRange.Shared([runs[1].Trace], LayerStat.DeltaRms);
        Assert.Equal(Math.Min(first.Min, second.Min), shared.Min);
        Assert.Equal(Math.Max(first.Max, second.Max), shared.Max);
        double smallest = runs.SelectMany(r => Enumerable.Range(0, r.Trace.StepCount).SelectMany(s => r.Trace.AtStep(LayerStat.DeltaRms, s).ToArray())).Where(v => v > 0).Min();
        Assert.InRange(Math.Log10(smallest) - shared.Min, 0, 0.1);
    }

    [Fact]
    public void Html_IsSelfContained()
    {
        string html = RunReport.Html(Runs.Value);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
        // A run's name is text, never markup.
        Assert.DoesNotContain("<b>he</b>", html, StringComparison.Ordinal);
        Assert.Contains("relu &lt;b&gt;he&lt;/b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_CarriesExactValuesAndOneScaleOnEveryHeatmap()
    {
        var runs = Runs.Value;
        string html = RunReport.Html(runs);
        using var data = JsonDocument.Parse(DataElement().Match(html).Groups[1].Value);
        var quantity = data.RootElement.GetProperty("quantities").GetProperty("delta_rms");
        var expected = ColorRange.Shared(runs.Select(r => r.Trace), LayerStat.DeltaRms);
        Assert.Equal(expected.Min, quantity.GetProperty("vmin").GetDouble());
        Assert.Equal(expected.Max, quantity.GetProperty("vmax").GetDouble());
        var heatmaps = HeatmapElement().Matches(html);
        Assert.Equal(runs.Length, heatmaps.Count);
        foreach (Match heatmap in heatmaps)
        {
            Assert.Equal(expected.Min, double.Parse(heatmap.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(expected.Max, double.Parse(heatmap.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        var run = data.RootElement.GetProperty("runs")[0];
        var trace = runs[0].Trace;
        var min = run.GetProperty("stats").GetProperty("delta_rms").GetProperty("min").GetBytesFromBase64();
        int columns = run.GetProperty("steps").GetProperty("first").GetArrayLength();
        Assert.Equal(trace.StepCount, columns);
        Assert.Equal(trace.LayerCount * columns * sizeof(double), min.Length);
        int layer = 2, step = 5;
        Assert.Equal(trace[LayerStat.DeltaRms, step, layer], BinaryPrimitives.ReadDoubleLittleEndian(min.AsSpan(((layer * columns) + step) * sizeof(double))));
        Assert.Equal(3, run.GetProperty("layers")[2].GetProperty("layer").GetInt32());
        Assert.Equal(trace.LayerNames[2], run.GetProperty("layers")[2].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Object, run.GetProperty("histograms").GetProperty("gradient").ValueKind);
    }

    [GeneratedRegex("""(?:src|href)\s*=\s*["'](?!data:|#)""")]
    private static partial Regex ExternalReference();

    [GeneratedRegex("""<script type="application/json" id="report-data">(.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex DataElement();

    [GeneratedRegex("""<canvas class="chart heatmap" data-run="\d+" data-vmin="([^"]+)" data-vmax="([^"]+)"[^>]*>""")]
    private static partial Regex HeatmapElement();
}
