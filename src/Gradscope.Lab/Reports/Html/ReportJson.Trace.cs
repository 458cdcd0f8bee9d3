using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Reports.Html;

internal static partial class ReportJson
{
    // Per window: the training step of its first and last recorded step, and how many it holds.
    private static void WriteSteps(Utf8JsonWriter w, Trace trace, StepWindows windows)
    {
        w.WriteStartObject("steps");
        w.WriteNumber("recorded", trace.StepCount);
        w.WriteNumber("window", windows.Size);
        WriteInts(w, "first", windows.Count, c => trace.StepNumber(windows.Start(c)));
        WriteInts(w, "last", windows.Count, c => trace.StepNumber(windows.End(c) - 1));
        WriteInts(w, "count", windows.Count, c => windows.End(c) - windows.Start(c));
        w.WriteEndObject();
    }

    private static void WriteInts(Utf8JsonWriter w, string name, int count, Func<int, int> value)
    {
        w.WriteStartArray(name);
        for (int i = 0; i < count; i++)
            w.WriteNumberValue(value(i));
        w.WriteEndArray();
    }

    // Layer-major: index = layer * windows + window.
    private static void WriteStat(Utf8JsonWriter w, string name, Trace trace, LayerStat stat, StepWindows windows)
    {
        var min = new double[trace.LayerCount * windows.Count];
        var max = new double[min.Length];
        for (int l = 0; l < trace.LayerCount; l++)
        {
            for (int c = 0; c < windows.Count; c++)
                (min[(l * windows.Count) + c], max[(l * windows.Count) + c]) = windows.Extremes(trace, stat, l, c);
        }

        w.WriteStartObject(name);
        WriteFloat64(w, "min", min);
        WriteFloat64(w, "max", max);
        w.WriteEndObject();
    }

    private static void WriteLoss(Utf8JsonWriter w, Trace trace, StepWindows windows)
    {
        var min = new double[windows.Count];
        var max = new double[windows.Count];
        for (int c = 0; c < windows.Count; c++)
            (min[c], max[c]) = windows.LossExtremes(trace, c);
        w.WriteStartObject("loss");
        WriteFloat64(w, "min", min);
        WriteFloat64(w, "max", max);
        w.WriteEndObject();
    }

    private static void WriteEpochs(Utf8JsonWriter w, Trace trace)
    {
        w.WriteStartArray("epochs");
        foreach (var epoch in trace.Epochs)
        {
            w.WriteStartObject();
            w.WriteNumber("epoch", epoch.Epoch + 1);
            w.WriteNumber("steps", epoch.Steps);
            JsonNumbers.Write(w, "train_loss", epoch.TrainLoss);
            JsonNumbers.Write(w, "train_accuracy", epoch.TrainAccuracy);
            JsonNumbers.Write(w, "test_loss", epoch.TestLoss);
            JsonNumbers.Write(w, "test_accuracy", epoch.TestAccuracy);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteFindings(Utf8JsonWriter w, RunRecord run)
    {
        w.WriteStartArray("findings");
        foreach (var finding in run.Findings)
        {
            w.WriteStartObject();
            w.WriteString("kind", finding.Kind.ToString());
            w.WriteString("severity", finding.Severity.ToString().ToLowerInvariant());
            w.WriteStartArray("layers");
            for (int i = 0; i < finding.Layers.Count; i++)
            {
                var layer = LayerRef.At(finding.LayerNames.Count > 0 ? finding.LayerNames : run.Trace.LayerNames, finding.Layers[i]);
                w.WriteStartObject();
                w.WriteNumber("layer", layer.Number);
                w.WriteString("name", layer.Name);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteNumbers(w, "evidence", finding.Evidence);
            WriteNumbers(w, "thresholds", finding.Thresholds);
            w.WriteString("cause", finding.Cause);
            w.WriteStartArray("remedies");
            foreach (var remedy in finding.Remedies)
                w.WriteStringValue(remedy.Title);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteNumbers(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, double> values)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in values)
            JsonNumbers.Write(w, key, value);
        w.WriteEndObject();
    }

    // What the configuration table shows above the run description.
    private static void WriteSummary(Utf8JsonWriter w, RunRecord run, StepWindows windows)
    {
        w.WriteStartObject("summary");
        w.WriteString("id", run.Id);
        w.WriteString("kind", run.Kind);
        w.WriteString("status", run.Status.ToString().ToLowerInvariant());
        if (run.Error is not null)
            w.WriteString("error", run.Error);
        w.WriteNumber("recorded_steps", windows.Recorded);
        w.WriteNumber("steps_per_column", windows.Size);
        JsonNumbers.Write(w, "final_loss", run.Final.Loss);
        JsonNumbers.Write(w, "train_accuracy", run.Final.TrainAccuracy);
        JsonNumbers.Write(w, "test_accuracy", run.Final.TestAccuracy);
        if (run.Data is not null)
            w.WriteString("data", run.Data.Path ?? run.Data.Name);
        if (run.Started != default)
            w.WriteString("started", run.Started);
        if (run.Version is not null)
            w.WriteString("version", run.Version);
        w.WriteEndObject();
    }
}
