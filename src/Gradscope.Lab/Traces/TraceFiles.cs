using System.Text.Json;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Traces;

/// <summary>
/// Writes a whole recorded run as a trace (format v2) in one go: header, steps, histograms,
/// epochs, the first non-finite value, findings and, for a run that has ended, the <c>end</c> line.
/// <see cref="TraceWriter"/> writes the same lines while a run goes.
/// </summary>
public static class TraceFiles
{
    /// <summary>Writes <paramref name="record"/> as UTF-8 JSON Lines to <paramref name="output"/>, which stays open.</summary>
    public static void Write(RunRecord record, Stream output)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(output);
        var trace = record.Trace;
        using var writer = new Utf8JsonWriter(output);
        void Line(Action<Utf8JsonWriter> body)
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
            writer.Flush();
            output.WriteByte((byte)'\n');
            writer.Reset();
        }

        Line(w => TraceLines.Header(w, record));
        var ring = new StepRing(trace.LayerCount);
        for (int s = 0; s < trace.StepCount; s++)
        {
            ring.Fill(trace, s);
            Line(w => TraceLines.Step(w, ring.StepNumber(ring.Head), ring.Scalars(ring.Head), ring.Stats(ring.Head), trace.LayerCount));
        }

        foreach (var h in trace.Histograms)
            Line(w => TraceLines.Histogram(w, trace.LayerNames, trace.Activation, trace.StepNumber(h.Step), h));
        foreach (var e in trace.Epochs)
            Line(w => TraceLines.Epoch(w, e));
        if (trace.FirstNonFinite is { } nf)
            Line(w => TraceLines.NonFinite(w, trace.LayerNames, trace.StepNumber(nf.Step), nf));
        foreach (var f in record.Findings)
            Line(w => TraceLines.Finding(w, f));
        if (HasEnded(record.Status))
            Line(w => TraceLines.End(w, record.Status, trace.StepCount, record.Ended ?? record.Started, record.Final, record.Error));
        output.Flush();
    }

    /// <summary>True for the statuses a finished run ends with (an <c>end</c> line is written).</summary>
    public static bool HasEnded(RunStatus status) =>
        status is RunStatus.Completed or RunStatus.Failed or RunStatus.Interrupted or RunStatus.Diverged;
}
