using Gradscope.Diagnostics;
using Gradscope.Lab.Exports;
using Gradscope.Lab.Exports.TensorBoard;
using Gradscope.Lab.Outputs;
using Gradscope.Lab.Tests.Traces;

namespace Gradscope.Lab.Tests.Exports;

public sealed class TensorBoardExportTests
{
    [Fact]
    public void Crc32C_OfTheCheckString_IsTheKnownValue()
    {
        // The standard check value of CRC-32C (RFC 3720, appendix B.4).
        Assert.Equal(0xE3069283u, EventFileReader.Crc32C("123456789"u8));
        Assert.Equal(0xE3069283u, TfRecord.Crc32C("123456789"u8));
    }

    [Fact]
    public void EventFile_Decodes_WithCorrectCrcsTagsStepsAndValues()
    {
        var (record, _) = TraceTestRuns.Streamed(MonitorPreset.Standard);
        using var output = new MemoryStream();
        TensorBoardExport.Write(record, output);
        var events = EventFileReader.Read(output.ToArray());
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        var trace = record.Trace;

        var scalars = events.Skip(1).Where(e => e.Values.Any(v => v.Tag == "loss")).ToList();
        Assert.Equal(trace.StepCount, scalars.Count);
        Assert.Equal(Enumerable.Range(0, trace.StepCount).Select(s => (long)trace.StepNumber(s)), scalars.Select(e => e.Step));
        var step3 = scalars[3].Values.ToDictionary(v => v.Tag, v => v.Simple);
        Assert.Equal((float)trace.Loss(3), step3["loss"]);
        Assert.Equal((float)trace[LayerStat.GradRms, 3, 2], step3["gradients/rms/layer_03_4.weight"]);
        Assert.Equal((float)trace[LayerStat.DeltaRms, 3, 0], step3["gradients/delta_rms/layer_01_0"]);
        Assert.Equal((float)trace[LayerStat.BiasGradNorm, 3, 1], step3["gradients/norm/layer_02_2.bias"]);

        // Weight norms are measured every 10 steps: none at step 3, present at step 10.
        Assert.False(step3.ContainsKey("weights/norm/layer_01_0.weight"));
        var step10 = scalars[10].Values.ToDictionary(v => v.Tag, v => v.Simple);
        Assert.Equal((float)trace[LayerStat.WeightNorm, 10, 0], step10["weights/norm/layer_01_0.weight"]);

        var gradient = events.SelectMany(e => e.Values).First(v => v.Tag == "gradients/log10_abs/layer_01_0.weight").Histo!;
        var counts = trace.Histograms.First(h => h.Layer == 0 && h.Kind == HistogramKind.Gradient).Counts;
        Assert.Equal(counts[..Histograms.ZeroBin].Sum(), gradient.Num);
        Assert.Equal(gradient.Num, gradient.Buckets.Sum());
        Assert.True(gradient.Limits.Zip(gradient.Limits.Skip(1)).All(p => p.First < p.Second));
        Assert.Contains(events.SelectMany(e => e.Values), v => v.Tag == "activations/histogram/layer_04_6" && v.Histo is not null);
        Assert.Contains(events.SelectMany(e => e.Values), v => v.Tag == "epoch/test_accuracy");
    }

    [Fact]
    public void ExportFolder_HasOneSubfolderPerRun()
    {
        var (a, _) = TraceTestRuns.Streamed(MonitorPreset.Cheap);
        var b = a with { Name = "relu run" };
        string dir = Path.Combine(Directory.CreateTempSubdirectory("gradscope-tb-").FullName, "logs");
        var files = new OutputFiles();
        var target = RunExport.Plan(files, ExportFormat.TensorBoard, "-o", dir);
        var written = RunExport.Write(files, target, ExportFormat.TensorBoard, [a, b]);
        Assert.Equal(2, written.Count);
        Assert.Equal(["relu_run", "tanh-3x8"], Directory.GetDirectories(dir).Select(Path.GetFileName).Order());
        foreach (string file in written)
        {
            Assert.StartsWith("events.out.tfevents.", Path.GetFileName(file));
            Assert.NotEmpty(EventFileReader.Read(File.ReadAllBytes(file)));
        }
    }

    [Fact]
    public void LayerTags_AreZeroPadded_ToSort()
    {
        Assert.Equal("layer_03_4", TensorBoardTags.Layer(3, "4", 10));
        Assert.Equal("layer_003_4", TensorBoardTags.Layer(3, "4", 120));
        Assert.Equal("gradients/delta_rms/layer_03_4", TensorBoardTags.Scalar(LayerStat.DeltaRms, "layer_03_4"));
    }
}
