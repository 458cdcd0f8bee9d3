using System.Globalization;
using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Training;

namespace Gradscope.Lab.Traces;

/// <summary>
/// The JSON objects of trace format v2, one per line (schema: <c>docs/schemas/trace.v2.schema.json</c>).
/// Each writer emits the members of one object between the caller's start and end. Steps are
/// training steps (from 0), not positions in the file, so a trace measured every k steps says so;
/// NaN and infinity are written as null (JSON has neither).
/// </summary>
internal static class TraceLines
{
    public const string Format = "gradscope-trace";
    public const int Version = 2;

    public static void Header(Utf8JsonWriter w, RunRecord record)
    {
        var trace = record.Trace;
        w.WriteString("type", "header");
        w.WriteString("format", Format);
        w.WriteNumber("version", Version);
        OptionalString(w, "id", string.IsNullOrEmpty(record.Id) ? null : record.Id);
        OptionalString(w, "name", record.Name);
        w.WriteString("kind", record.Kind);
        w.WriteStartArray("tags");
        foreach (string tag in record.Tags)
            w.WriteStringValue(tag);
        w.WriteEndArray();
        OptionalString(w, "parent_id", record.ParentId);
        w.WriteString("started", Time(record.Started));
        OptionalString(w, "gradscope_version", record.Version);
        OptionalString(w, "host", record.Host);
        w.WritePropertyName("spec");
        if (record.Spec is null)
            w.WriteNullValue();
        else
            RunSpecJson.Write(w, record.Spec);
        Data(w, record.Data);
        w.WriteString("activation", trace.Activation);
        Layers(w, record.Layers.Count == trace.LayerCount ? record.Layers : RecordedLayers.From(trace));
        w.WriteStartArray("stats");
        for (int i = 0; i < LayerStatNames.Count; i++)
            w.WriteStringValue(LayerStatNames.Of((LayerStat)i));
        w.WriteEndArray();
        if (record.Framework is not null)
            RecordedLayerJson.WriteFramework(w, record.Framework);
    }

    public static void Step(Utf8JsonWriter w, int stepNumber, ReadOnlySpan<double> scalars, ReadOnlySpan<double> stats, int layerCount)
    {
        w.WriteString("type", "step");
        w.WriteNumber("step", stepNumber);
        JsonNumbers.Write(w, "loss", scalars[0]);
        JsonNumbers.Write(w, "learning_rate", scalars[1]);
        JsonNumbers.Write(w, "wall_seconds", scalars[2]);
        for (int i = 0; i < LayerStatNames.Count; i++)
        {
            w.WriteStartArray(LayerStatNames.Of((LayerStat)i));
            foreach (double v in stats.Slice(i * layerCount, layerCount))
                JsonNumbers.WriteValue(w, v);
            w.WriteEndArray();
        }
    }

    public static void Histogram(Utf8JsonWriter w, IReadOnlyList<string> layerNames, string activation, int stepNumber, HistogramRecord h)
    {
        w.WriteString("type", "histogram");
        w.WriteNumber("step", stepNumber);
        LayerRefMembers(w, LayerRef.At(layerNames, h.Layer));
        w.WriteString("kind", h.Kind == HistogramKind.Gradient ? "gradient" : "activation");
        if (h.Kind == HistogramKind.Gradient)
        {
            w.WriteNumber("min_decade", Histograms.MinDecade);
            w.WriteString("bins", "decades [10^k, 10^(k+1)) from min_decade, then exact zeros, then NaN/infinity");
        }
        else
        {
            var (low, high) = Histograms.ActivationRange(activation);
            w.WriteNumber("low", low);
            w.WriteNumber("high", high);
            w.WriteString("bins", "underflow, equal bins over [low, high], overflow");
        }

        w.WriteStartArray("counts");
        foreach (int c in h.Counts)
            w.WriteNumberValue(c);
        w.WriteEndArray();
    }

    public static void Epoch(Utf8JsonWriter w, EpochResult e)
    {
        w.WriteString("type", "epoch");
        w.WriteNumber("epoch", e.Epoch + 1);
        w.WriteNumber("steps", e.Steps);
        JsonNumbers.Write(w, "train_loss", e.TrainLoss);
        JsonNumbers.Write(w, "train_accuracy", e.TrainAccuracy);
        JsonNumbers.Write(w, "test_loss", e.TestLoss);
        JsonNumbers.Write(w, "test_accuracy", e.TestAccuracy);
        JsonNumbers.Write(w, "learning_rate", e.LearningRate);
    }

    public static void NonFinite(Utf8JsonWriter w, IReadOnlyList<string> layerNames, int stepNumber, NonFiniteEvent e)
    {
        w.WriteString("type", "non_finite");
        w.WriteNumber("step", stepNumber);
        LayerRefMembers(w, LayerRef.At(layerNames, e.Layer));
        w.WriteString("where", e.Where);
    }

    public static void Finding(Utf8JsonWriter w, Finding f)
    {
        w.WriteString("type", "finding");
        FindingJson.WriteMembers(w, f);
    }

    public static void End(Utf8JsonWriter w, RunStatus status, int steps, DateTimeOffset ended, RunMetrics final, string? error)
    {
        w.WriteString("type", "end");
        w.WriteString("status", StatusName(status));
        w.WriteNumber("steps", steps);
        w.WriteString("ended", Time(ended));
        JsonNumbers.Write(w, "loss", final.Loss);
        JsonNumbers.Write(w, "train_accuracy", final.TrainAccuracy);
        JsonNumbers.Write(w, "test_accuracy", final.TestAccuracy);
        OptionalString(w, "error", error);
    }

    // ISO 8601 in UTC with a Z (an offset's '+' would be escaped as \u002B in JSON).
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static string StatusName(RunStatus status) => status.ToString().ToLowerInvariant();

    private static void Layers(Utf8JsonWriter w, IReadOnlyList<RecordedLayer> layers) => RecordedLayerJson.WriteArray(w, layers);

    private static void Data(Utf8JsonWriter w, DataIdentity? data)
    {
        w.WritePropertyName("data");
        if (data is null)
        {
            w.WriteNullValue();
            return;
        }

        w.WriteStartObject();
        w.WriteString("name", data.Name);
        OptionalString(w, "path", data.Path);
        if (data.Size is { } size)
            w.WriteNumber("size", size);
        else
            w.WriteNull("size");
        OptionalString(w, "sha256", data.Sha256);
        w.WriteEndObject();
    }

    private static void LayerRefMembers(Utf8JsonWriter w, LayerRef layer)
    {
        w.WriteNumber("layer", layer.Number);
        w.WriteString("name", layer.Name);
    }

    private static void OptionalString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
            w.WriteNull(name);
        else
            w.WriteString(name, value);
    }
}
