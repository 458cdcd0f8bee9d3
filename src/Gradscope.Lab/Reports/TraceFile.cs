using System.Text;
using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Outputs;

namespace Gradscope.Lab.Reports;

/// <summary>
/// Writes a <see cref="Trace"/> as JSON Lines, one self-describing object per line, so any tool
/// (pandas.read_json(lines=True), jq, DuckDB) can load it:
/// <list type="bullet">
/// <item><c>{"type":"header","format":"gradscope-trace","version":1,"activation":...,"layers":[{"layer":1,"name":"0"},...],"inputs":[fan-in],"widths":[fan-out],"stats":[names]}</c></item>
/// <item><c>{"type":"step","step":s,"loss":L,"grad_norm":[per layer],...}</c>: every statistic as an array over layers, input to output</item>
/// <item><c>{"type":"histogram","step":s,"layer":k,"name":"0","kind":"gradient"|"activation","edges":[...],"counts":[...]}</c></item>
/// <item><c>{"type":"epoch",...}</c> and, when one appeared, <c>{"type":"non_finite","step":s,"layer":k,"name":"4","where":...}</c></item>
/// </list>
/// A layer is named as in every JSON output: <c>"layer"</c> its number along the main path from 1
/// (residual projections left out), <c>"name"</c> its module path in the state dict.
/// NaN and infinity are written as null (JSON has neither).
/// </summary>
public static class TraceFile
{
    /// <summary>
    /// Writes <paramref name="trace"/> to <paramref name="path"/>, replaced atomically under the
    /// output policy of <see cref="OutputFiles"/> (no devices, FIFOs or folders; <c>-</c> is
    /// standard output).
    /// </summary>
    public static void Write(Trace trace, string path)
    {
        var files = new OutputFiles();
        files.Write(files.AddFile("trace", path), stream => Write(trace, stream));
    }

    /// <summary>Writes <paramref name="trace"/> as UTF-8 JSON Lines to <paramref name="output"/>, which stays open.</summary>
    public static void Write(Trace trace, Stream output)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
        Write(trace, writer);
    }

    /// <summary>Writes <paramref name="trace"/> as JSON Lines to <paramref name="output"/>.</summary>
    public static void Write(Trace trace, TextWriter output)
    {
        WriteLine(output, w => Header(w, trace));
        for (int s = 0; s < trace.StepCount; s++)
            WriteLine(output, w => Step(w, trace, s));
        foreach (var h in trace.Histograms)
            WriteLine(output, w => Histogram(w, trace, h));
        foreach (var e in trace.Epochs)
            WriteLine(output, w => Epoch(w, e));
        if (trace.FirstNonFinite is { } nf)
        {
            WriteLine(output, w =>
            {
                w.WriteString("type", "non_finite");
                w.WriteNumber("step", nf.Step);
                WriteLayerRef(w, LayerRef.At(trace.LayerNames, nf.Layer));
                w.WriteString("where", nf.Where);
            });
        }
    }

    private static void WriteLayerRef(Utf8JsonWriter w, LayerRef layer)
    {
        w.WriteNumber("layer", layer.Number);
        w.WriteString("name", layer.Name);
    }

    private static void WriteLine(TextWriter output, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void Header(Utf8JsonWriter w, Trace trace)
    {
        w.WriteString("type", "header");
        w.WriteString("format", "gradscope-trace");
        w.WriteNumber("version", 1);
        w.WriteString("activation", trace.Activation);
        w.WriteStartArray("layers");
        for (int l = 0; l < trace.LayerCount; l++)
        {
            w.WriteStartObject();
            WriteLayerRef(w, LayerRef.At(trace.LayerNames, l));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteInts(w, "inputs", trace.LayerInputs);
        WriteInts(w, "widths", trace.LayerWidths);
        w.WriteStartArray("stats");
        for (int i = 0; i < LayerStatNames.Count; i++)
            w.WriteStringValue(LayerStatNames.Of((LayerStat)i));
        w.WriteEndArray();
        w.WriteNumber("steps", trace.StepCount);
    }

    private static void Step(Utf8JsonWriter w, Trace trace, int s)
    {
        w.WriteString("type", "step");
        w.WriteNumber("step", s);
        Number(w, "loss", trace.Loss(s));
        for (int i = 0; i < LayerStatNames.Count; i++)
        {
            w.WriteStartArray(LayerStatNames.Of((LayerStat)i));
            foreach (double v in trace.AtStep((LayerStat)i, s))
                NumberValue(w, v);
            w.WriteEndArray();
        }
    }

    private static void Histogram(Utf8JsonWriter w, Trace trace, HistogramRecord h)
    {
        w.WriteString("type", "histogram");
        w.WriteNumber("step", h.Step);
        WriteLayerRef(w, LayerRef.At(trace.LayerNames, h.Layer));
        w.WriteString("kind", h.Kind == HistogramKind.Gradient ? "gradient" : "activation");
        if (h.Kind == HistogramKind.Gradient)
        {
            w.WriteNumber("min_decade", Histograms.MinDecade);
            w.WriteString("bins", "decades [10^k, 10^(k+1)) from min_decade, then exact zeros, then NaN/infinity");
        }
        else
        {
            var (low, high) = Histograms.ActivationRange(trace.Activation);
            w.WriteNumber("low", low);
            w.WriteNumber("high", high);
            w.WriteString("bins", "underflow, equal bins over [low, high], overflow");
        }

        w.WriteStartArray("counts");
        foreach (int c in h.Counts)
            w.WriteNumberValue(c);
        w.WriteEndArray();
    }

    private static void Epoch(Utf8JsonWriter w, Training.EpochResult e)
    {
        w.WriteString("type", "epoch");
        w.WriteNumber("epoch", e.Epoch + 1);
        w.WriteNumber("steps", e.Steps);
        Number(w, "train_loss", e.TrainLoss);
        Number(w, "train_accuracy", e.TrainAccuracy);
        Number(w, "test_loss", e.TestLoss);
        Number(w, "test_accuracy", e.TestAccuracy);
        Number(w, "learning_rate", e.LearningRate);
    }

    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        w.WritePropertyName(name);
        NumberValue(w, v);
    }

    private static void NumberValue(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v))
            w.WriteNumberValue(v);
        else
            w.WriteNullValue();
    }

    private static void WriteInts(Utf8JsonWriter w, string name, IReadOnlyList<int> values)
    {
        w.WriteStartArray(name);
        foreach (int v in values)
            w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
