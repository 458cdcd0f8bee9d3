using System.Buffers.Binary;
using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Reports.Html;

/// <summary>
/// The data a report page draws, as one JSON object: per quantity the colour range shared by every
/// run; per run its label, layers (number from 1 at the input side, module path), the step windows
/// (<see cref="StepWindows"/>), each window's minimum and maximum of <c>delta_rms</c>,
/// <c>grad_rms</c> and the loss (little-endian float64 arrays in base64: exact values, a third of
/// the size of decimal text), epochs, histograms, findings, the run description and its summary.
/// The default encoder escapes <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>, so the text is safe
/// inside a <c>script</c> element.
/// </summary>
internal static partial class ReportJson
{
    /// <summary>The statistics the heatmaps, curves and profile can show, by their one name.</summary>
    public static readonly (string Name, LayerStat Stat)[] Quantities = [("delta_rms", LayerStat.DeltaRms), ("grad_rms", LayerStat.GradRms)];

    public static void Write(Utf8JsonWriter w, IReadOnlyList<RunRecord> runs, IReadOnlyList<ColorRange> ranges)
    {
        w.WriteStartObject();
        w.WriteStartObject("quantities");
        for (int q = 0; q < Quantities.Length; q++)
        {
            w.WriteStartObject(Quantities[q].Name);
            w.WriteNumber("vmin", ranges[q].Min);
            w.WriteNumber("vmax", ranges[q].Max);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteNumber("max_columns", StepWindows.MaxColumns);
        w.WriteStartArray("runs");
        foreach (var run in runs)
            WriteRun(w, run);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The colour range of every quantity over the windows' minima and maxima of all runs.</summary>
    public static ColorRange[] SharedRanges(IReadOnlyList<RunRecord> runs)
    {
        var ranges = new ColorRange[Quantities.Length];
        for (int q = 0; q < Quantities.Length; q++)
        {
            var traces = new Trace[runs.Count];
            for (int r = 0; r < runs.Count; r++)
                traces[r] = runs[r].Trace;
            ranges[q] = ColorRange.Shared(traces, Quantities[q].Stat);
        }

        return ranges;
    }

    /// <summary>The label a run goes by on the page: its name, else its id.</summary>
    public static string Label(RunRecord run) => string.IsNullOrWhiteSpace(run.Name) ? run.Id : run.Name;

    private static void WriteRun(Utf8JsonWriter w, RunRecord run)
    {
        var trace = run.Trace;
        var windows = new StepWindows(trace.StepCount);
        w.WriteStartObject();
        w.WriteString("id", run.Id);
        w.WriteString("label", Label(run));
        WriteLayers(w, run);
        WriteSteps(w, trace, windows);
        w.WriteStartObject("stats");
        foreach (var (name, stat) in Quantities)
            WriteStat(w, name, trace, stat, windows);
        w.WriteEndObject();
        WriteLoss(w, trace, windows);
        WriteEpochs(w, trace);
        ReportHistograms.Write(w, trace);
        WriteFindings(w, run);
        w.WritePropertyName("spec");
        if (run.Spec is null)
            w.WriteNullValue();
        else
            RunSpecJson.Write(w, run.Spec);
        WriteSummary(w, run, windows);
        w.WriteEndObject();
    }

    private static void WriteLayers(Utf8JsonWriter w, RunRecord run) => RecordedLayerJson.WriteArray(w, Layers(run));

    /// <summary>The record's layer list when it matches the trace, else one made from the trace's own names and sizes.</summary>
    internal static IReadOnlyList<RecordedLayer> Layers(RunRecord run)
    {
        var trace = run.Trace;
        if (run.Layers.Count == trace.LayerCount)
            return run.Layers;
        var layers = new RecordedLayer[trace.LayerCount];
        for (int l = 0; l < layers.Length; l++)
        {
            string activation = l == layers.Length - 1 ? "identity" : trace.Activation;
            layers[l] = new RecordedLayer(LayerRef.At(trace.LayerNames, l), "dense", activation, trace.LayerInputs[l], trace.LayerWidths[l]);
        }

        return layers;
    }

    private static void WriteFloat64(Utf8JsonWriter w, string name, double[] values)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), values[i]);
        w.WriteBase64String(name, bytes);
    }
}
