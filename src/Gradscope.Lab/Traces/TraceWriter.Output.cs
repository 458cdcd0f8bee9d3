using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Training;

namespace Gradscope.Lab.Traces;

public sealed partial class TraceWriter
{
    private static readonly byte[] NewLine = [(byte)'\n'];

    // Runs on the writer thread: the queued lines in order, each after the steps that preceded it.
    private void WriteQueued(long head)
    {
        foreach (var pending in _draining)
        {
            WriteSteps(pending.AfterSteps);
            WritePending(pending);
        }

        _draining.Clear();
        WriteSteps(head);
    }

    private void WriteSteps(long until)
    {
        long position;
        lock (_gate)
            position = _ring.Tail;
        if (position >= until)
            return;
        for (; position < until; position++)
        {
            long p = position;
            WriteLine(w => TraceLines.Step(w, _ring.StepNumber(p), _ring.Scalars(p), _ring.Stats(p), _ring.LayerCount));
        }

        lock (_gate)
        {
            _ring.Tail = until;
            Monitor.PulseAll(_gate);
        }
    }

    private void WritePending(PendingLine pending)
    {
        switch (pending.Item)
        {
            case HistogramRecord h:
                WriteLine(w => TraceLines.Histogram(w, _trace.LayerNames, _trace.Activation, pending.StepNumber, h));
                break;
            case NonFiniteEvent e:
                WriteLine(w => TraceLines.NonFinite(w, _trace.LayerNames, pending.StepNumber, e));
                break;
            case EpochResult e:
                WriteLine(w => TraceLines.Epoch(w, e));
                break;
            case Finding f:
                WriteLine(w => TraceLines.Finding(w, f));
                break;
            case EndLine end:
                WriteLine(w => TraceLines.End(w, end.Status, end.Steps, end.Ended, end.Final, end.Error));
                break;
        }
    }

    // One JSON object and its newline; after a failed write the rest is dropped (Complete reports it).
    private void WriteLine(Action<Utf8JsonWriter> body)
    {
        if (_failure is not null)
            return;
        try
        {
            _line.ResetWrittenCount();
            _json.Reset(_line);
            _json.WriteStartObject();
            body(_json);
            _json.WriteEndObject();
            _json.Flush();
            _output.Write(_line.WrittenSpan);
            _output.Write(NewLine);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ObjectDisposedException)
        {
            _failure = ex;
        }
    }

    private void Flush()
    {
        if (_failure is not null)
            return;
        try
        {
            _output.Flush();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _failure = ex;
        }
    }
}
