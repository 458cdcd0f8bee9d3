using System.Text.Json;
using Gradscope.Diagnostics;

namespace Gradscope.Lab.Reports.Html;

/// <summary>
/// A trace's histograms as the report draws them: per kind at most <see cref="MaxSteps"/>
/// recorded steps (evenly spaced over those with histograms, first and last kept), counts per layer
/// and step; gradient histograms cut to the decades any of them fills.
/// </summary>
internal static class ReportHistograms
{
    /// <summary>The most histogram steps a run keeps per kind.</summary>
    public const int MaxSteps = 40;

    public static void Write(Utf8JsonWriter w, Trace trace)
    {
        w.WriteStartObject("histograms");
        WriteKind(w, trace, HistogramKind.Gradient);
        WriteKind(w, trace, HistogramKind.Activation);
        w.WriteEndObject();
    }

    /// <summary>The recorded steps that have histograms of <paramref name="kind"/>, thinned to at most <see cref="MaxSteps"/>.</summary>
    internal static List<int> Steps(Trace trace, HistogramKind kind)
    {
        var all = new SortedSet<int>();
        foreach (var record in trace.Histograms)
        {
            if (record.Kind == kind && record.Step < trace.StepCount)
                all.Add(record.Step);
        }

        var steps = new List<int>(all);
        if (steps.Count <= MaxSteps)
            return steps;
        var kept = new List<int>(MaxSteps);
        for (int i = 0; i < MaxSteps; i++)
            kept.Add(steps[(int)Math.Round((double)i * (steps.Count - 1) / (MaxSteps - 1))]);
        return kept;
    }

    private static void WriteKind(Utf8JsonWriter w, Trace trace, HistogramKind kind)
    {
        string name = kind == HistogramKind.Gradient ? "gradient" : "activation";
        var steps = Steps(trace, kind);
        var counts = Index(trace, kind, steps);
        var (from, to) = kind == HistogramKind.Gradient ? FilledDecades(counts.Values) : (0, Histograms.ActivationBins + 1);
        if (steps.Count == 0 || from > to)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        if (kind == HistogramKind.Gradient)
        {
            w.WriteStartArray("decades");
            w.WriteNumberValue(Histograms.MinDecade + from);
            w.WriteNumberValue(Histograms.MinDecade + to);
            w.WriteEndArray();
        }
        else
        {
            var (low, high) = Histograms.ActivationRange(trace.Activation);
            w.WriteNumber("low", low);
            w.WriteNumber("high", high);
            w.WriteNumber("width", (high - low) / Histograms.ActivationBins);
            w.WriteNumber("bins", Histograms.ActivationBins + 2);
        }

        w.WriteStartArray("steps");
        foreach (int s in steps)
            w.WriteNumberValue(trace.StepNumber(s));
        w.WriteEndArray();
        WriteCounts(w, trace.LayerCount, steps, counts, from, to);
        w.WriteEndObject();
    }

    // counts[layer][step] = the bins from..to; a missing histogram is all zeros.
    private static void WriteCounts(Utf8JsonWriter w, int layers, List<int> steps, Dictionary<(int Step, int Layer), int[]> counts, int from, int to)
    {
        w.WriteStartArray("counts");
        for (int l = 0; l < layers; l++)
        {
            w.WriteStartArray();
            foreach (int s in steps)
            {
                w.WriteStartArray();
                var bins = counts.GetValueOrDefault((s, l));
                for (int b = from; b <= to; b++)
                    w.WriteNumberValue(bins is null ? 0 : bins[b]);
                w.WriteEndArray();
            }

            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private static Dictionary<(int Step, int Layer), int[]> Index(Trace trace, HistogramKind kind, List<int> steps)
    {
        var wanted = new HashSet<int>(steps);
        var index = new Dictionary<(int, int), int[]>();
        foreach (var record in trace.Histograms)
        {
            if (record.Kind == kind && wanted.Contains(record.Step))
                index[(record.Step, record.Layer)] = record.Counts;
        }

        return index;
    }

    // The lowest and highest decade bins (not the zero or non-finite bins) that hold a count.
    private static (int From, int To) FilledDecades(IEnumerable<int[]> histograms)
    {
        int from = int.MaxValue, to = int.MinValue;
        foreach (var counts in histograms)
        {
            for (int b = 0; b < Histograms.ZeroBin && b < counts.Length; b++)
            {
                if (counts[b] == 0)
                    continue;
                from = Math.Min(from, b);
                to = Math.Max(to, b);
            }
        }

        return (from, to);
    }
}
