using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Reports;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Tests;

public sealed class TraceFileTests
{
    private static MonitoredRunResult SmallRun(MonitorPreset preset) => MonitoredRun.Run(
        new TestFlags { Data = "spiral", Hidden = [8, 8, 8], Activation = "tanh", Epochs = 2, Seed = 1 },
        MonitorOptions.For(preset));

    [Fact]
    public void JsonLines_HasHeaderStepsHistogramsAndEpochs()
    {
        var run = SmallRun(MonitorPreset.Standard);
        using var output = new MemoryStream();
        TraceFile.Write(run.Trace, output);
        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).TrimEnd().Split('\n');
        using var header = JsonDocument.Parse(lines[0]);
        Assert.Equal("gradscope-trace", header.RootElement.GetProperty("format").GetString());
        Assert.Equal(2, header.RootElement.GetProperty("version").GetInt32());
        var layers = header.RootElement.GetProperty("layers");
        Assert.Equal(4, layers.GetArrayLength());

        // The one layer identity: number from 1 along the main path, name its module path.
        Assert.Equal(2, layers[1].GetProperty("layer").GetInt32());
        Assert.Equal("2", layers[1].GetProperty("name").GetString());
        using var histogram = JsonDocument.Parse(lines.First(l => l.Contains("\"type\":\"histogram\"")));
        Assert.Equal(1, histogram.RootElement.GetProperty("layer").GetInt32());
        Assert.Equal("0", histogram.RootElement.GetProperty("name").GetString());
        Assert.Equal(run.Trace.StepCount, lines.Count(l => l.Contains("\"type\":\"step\"")));
        Assert.Equal(2, lines.Count(l => l.Contains("\"type\":\"epoch\"")));

        // Standard histograms every 50 steps: steps 0 (of 24) -> 4 layers x 2 kinds.
        Assert.Equal(8, lines.Count(l => l.Contains("\"type\":\"histogram\"")));
        using var step = JsonDocument.Parse(lines[1]);
        var delta = step.RootElement.GetProperty("delta_rms");
        Assert.Equal(4, delta.GetArrayLength());
        Assert.Equal(run.Trace[LayerStat.DeltaRms, 0, 2], delta[2].GetDouble());
    }

    [Fact]
    public void Write_ToFile_ReplacesAtomically()
    {
        var run = SmallRun(MonitorPreset.Cheap);
        string dir = Directory.CreateTempSubdirectory("gradscope-trace-").FullName;
        string path = Path.Combine(dir, "t.jsonl");
        File.WriteAllText(path, "old");
        TraceFile.Write(run.Trace, path);
        Assert.StartsWith("{\"type\":\"header\"", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void Plots_ArePngFiles()
    {
        var run = SmallRun(MonitorPreset.Cheap);
        string dir = Directory.CreateTempSubdirectory("gradscope-png-").FullName;
        var paths = GradientPlots.Write(run.Trace, dir, "tanh", "tanh");
        Assert.Equal(2, paths.Count);
        foreach (string path in paths)
        {
            var bytes = File.ReadAllBytes(path);
            Assert.True(bytes.Length > 5000, $"{path}: {bytes.Length} bytes");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }
    }

    [Fact]
    public void Heatmap_Data_IsLog10DeltaRms()
    {
        var run = SmallRun(MonitorPreset.Cheap);
        var data = GradientPlots.Log10(run.Trace, GradientPlots.Shown);
        Assert.Equal(LayerStat.DeltaRms, GradientPlots.Shown);
        Assert.Equal(4, data.GetLength(0));
        Assert.Equal(Math.Log10(run.Trace[LayerStat.DeltaRms, 3, 1]), data[1, 3], 12);
    }

    [Fact]
    public void Heatmap_LayerAxis_IsNumberedFromTheInputSide()
    {
        var run = SmallRun(MonitorPreset.Cheap);
        var (positions, labels) = GradientPlots.LayerTicks(run.Trace);
        Assert.Equal([1.0, 2, 3, 4], positions);
        Assert.Equal($"1 ({run.Trace.LayerNames[0]})", labels[0]);
        Assert.Equal($"4 ({run.Trace.LayerNames[3]})", labels[3]);
    }
}
