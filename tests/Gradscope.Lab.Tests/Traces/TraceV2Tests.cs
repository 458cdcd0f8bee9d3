using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Tests.Runs;

namespace Gradscope.Lab.Tests.Traces;

public sealed class TraceV2Tests
{
    [Fact]
    public void StreamedTrace_RoundTrips_EveryNumber()
    {
        var (record, text) = TraceTestRuns.Streamed(MonitorPreset.Standard);
        var read = TraceTestRuns.Read(text);
        var a = record.Trace;
        var b = read.Trace;
        Assert.Equal(a.StepCount, b.StepCount);
        Assert.Equal(a.LayerNames, b.LayerNames);
        for (int s = 0; s < a.StepCount; s++)
        {
            Assert.Equal(a.StepNumber(s), b.StepNumber(s));
            Assert.Equal(a.Loss(s), b.Loss(s));
            Assert.Equal(a.LearningRate(s), b.LearningRate(s));
            Assert.Equal(a.WallSeconds(s), b.WallSeconds(s));
            for (int i = 0; i < LayerStatNames.Count; i++)
            {
                for (int l = 0; l < a.LayerCount; l++)
                    Assert.Equal(a[(LayerStat)i, s, l], b[(LayerStat)i, s, l]);
            }
        }

        Assert.Equal(a.Histograms.Count, b.Histograms.Count);
        Assert.Equal(a.Histograms[^1].Counts, b.Histograms[^1].Counts);
        Assert.Equal(a.Epochs, b.Epochs);
        Assert.Equal(RunStatus.Completed, read.Status);
        Assert.Equal(record.Final, read.Final);
        Assert.Equal(record.Id, read.Id);
        Assert.Equal(["test"], read.Tags);
        Assert.Equal(record.Started, read.Started);
        Assert.Equal(record.Layers, read.Layers);
        Assert.Equal(RunSpecJson.Write(record.Spec!), RunSpecJson.Write(read.Spec!));
        Assert.Equal(record.Findings.Count, read.Findings.Count);
    }

    [Fact]
    public void StreamedTrace_Header_HasRunAndLayerIdentity()
    {
        var (_, text) = TraceTestRuns.Streamed(MonitorPreset.Cheap);
        using var header = JsonDocument.Parse(text.Split('\n')[0]);
        var root = header.RootElement;
        Assert.Equal("gradscope-trace", root.GetProperty("format").GetString());
        Assert.Equal(2, root.GetProperty("version").GetInt32());
        Assert.Equal("gradscope.run", root.GetProperty("spec").GetProperty("format").GetString());
        var layer = root.GetProperty("layers")[1];
        Assert.Equal(2, layer.GetProperty("layer").GetInt32());
        Assert.Equal("2", layer.GetProperty("name").GetString());
        Assert.Equal("tanh", layer.GetProperty("activation").GetString());
        Assert.Equal("identity", root.GetProperty("layers")[3].GetProperty("activation").GetString());
        Assert.StartsWith("{\"type\":\"end\",\"status\":\"completed\"", text.TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public void NonFiniteValues_AreNullInTheFile_AndNaNWhenRead()
    {
        var (_, text) = TraceTestRuns.Streamed(MonitorPreset.Cheap);
        var lines = text.Split('\n');

        // Cheap measures weight norms every 10 steps: step 1 has none, written as null.
        Assert.Contains("\"weight_norm\":[null,null,null,null]", lines[2]);
        var read = TraceTestRuns.Read(text);
        Assert.True(double.IsNaN(read.Trace[LayerStat.WeightNorm, 1, 0]));
        Assert.True(double.IsFinite(read.Trace[LayerStat.WeightNorm, 0, 0]));
    }

    [Fact]
    public void TruncatedLastLine_IsLeftOut()
    {
        var (record, text) = TraceTestRuns.Streamed(MonitorPreset.Cheap);
        var lines = text.TrimEnd('\n').Split('\n');
        int stepLines = record.Trace.StepCount;

        // A writer killed in the middle of step line 6: header, 5 whole steps, half a line.
        string cut = string.Join('\n', lines[..6]) + "\n" + lines[6][..(lines[6].Length / 2)];
        var read = TraceTestRuns.Read(cut);
        Assert.Equal(5, read.Trace.StepCount);
        Assert.Equal(RunStatus.Running, read.Status);
        Assert.True(stepLines > 6);
    }

    [Theory]
    [InlineData("{\"type\":\"step\",\"step\":99,\"loss\":\"high\"}", "t.jsonl:3: \"loss\" must hold numbers or null")]
    [InlineData("{not json", "t.jsonl:3: not valid JSON")]
    [InlineData("{\"type\":\"step\",\"step\":99,\"loss\":1,\"grad_norm\":[1]}", "t.jsonl:3: \"grad_norm\" must be an array of 4 numbers")]
    public void MalformedLine_IsRejected_WithFileAndLine(string bad, string expected)
    {
        var (_, text) = TraceTestRuns.Streamed(MonitorPreset.Cheap);
        var lines = text.Split('\n').ToList();
        lines.Insert(2, bad);
        var ex = Assert.Throws<GradscopeException>(() => TraceTestRuns.Read(string.Join('\n', lines)));
        Assert.StartsWith(expected, ex.Message);
    }

    [Fact]
    public void NotATrace_IsRejected_WithFileAndLine()
    {
        var ex = Assert.Throws<GradscopeException>(() => TraceTestRuns.Read("{\"type\":\"step\"}\n", "x.jsonl"));
        Assert.StartsWith("x.jsonl:1: the first line must be the header", ex.Message);
        ex = Assert.Throws<GradscopeException>(() => TraceTestRuns.Read("{\"type\":\"header\",\"format\":\"gradscope-trace\",\"version\":3}\n", "x.jsonl"));
        Assert.Contains("x.jsonl:1: trace version 3 is not supported", ex.Message);
    }

    [Fact]
    public void BinaryFile_IsRejected_AsNotUtf8Text()
    {
        byte[] binary = [0x7b, 0x0a, 0xd0, 0xff, 0xfe, 0x00, 0x81, 0x0a];
        using var stream = new MemoryStream(binary);

        var ex = Assert.Throws<GradscopeException>(() => Gradscope.Lab.Traces.TraceReader.Read(stream, "x.jsonl"));

        Assert.Equal("x.jsonl: not a Gradscope trace: it is not UTF-8 text (a binary file?).", ex.Message);
    }

    [Fact]
    public void VersionOneTrace_IsRead()
    {
        string v1 = "{\"type\":\"header\",\"format\":\"gradscope-trace\",\"version\":1,\"activation\":\"tanh\"," +
            "\"layers\":[{\"layer\":1,\"name\":\"0\"},{\"layer\":2,\"name\":\"2\"}],\"inputs\":[2,8],\"widths\":[8,3],\"stats\":[],\"steps\":2}\n" +
            "{\"type\":\"step\",\"step\":0,\"loss\":1.5,\"grad_norm\":[0.25,null]}\n" +
            "{\"type\":\"step\",\"step\":1,\"loss\":1.25,\"grad_norm\":[0.5,2]}\n";
        var read = TraceTestRuns.Read(v1);
        Assert.Equal(2, read.Trace.StepCount);
        Assert.Equal(0.5, read.Trace[LayerStat.GradNorm, 1, 0]);
        Assert.True(double.IsNaN(read.Trace[LayerStat.GradNorm, 0, 1]));
        Assert.Equal(RunStatus.Completed, read.Status);
    }

    [Fact]
    public void EveryLine_OfARealTrace_MatchesTheSchema()
    {
        var (_, text) = TraceTestRuns.Streamed(MonitorPreset.Standard);
        var seen = new HashSet<string>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Empty(SchemaValidation.Errors("trace.v2.schema.json", line));
            using var doc = JsonDocument.Parse(line);
            seen.Add(doc.RootElement.GetProperty("type").GetString()!);
        }

        Assert.Superset(new HashSet<string> { "header", "step", "histogram", "epoch", "end" }, seen);
    }

    [Fact]
    public void Schema_RejectsAStepWithAStringForANumber()
    {
        Assert.NotEmpty(SchemaValidation.Errors("trace.v2.schema.json", "{\"type\":\"step\",\"step\":0,\"loss\":\"x\"}"));
        Assert.NotEmpty(SchemaValidation.Errors("trace.v2.schema.json", "{\"type\":\"end\",\"status\":\"done\"}"));
    }
}
