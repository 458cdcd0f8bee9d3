using System.Buffers;
using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Training;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace Gradscope.Lab.Traces;

/// <summary>
/// Streams a run's trace (format v2) as it goes: the header at once, then each step the monitor
/// completes, histograms, epochs and the first non-finite value, and at the end the findings and
/// an <c>end</c> line with the final status. The training thread only copies a step's numbers into
/// a preallocated ring (<see cref="Record"/>: no allocation, an uncontended lock); a background
/// thread formats the lines and flushes at least once a second, so <c>tail -f</c> follows the run.
/// A writer killed mid-line leaves a truncated last line, which <see cref="TraceReader"/> accepts.
/// </summary>
public sealed partial class TraceWriter : IDisposable
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly string _describe;
    private readonly Trace _trace;
    private readonly StepRing _ring;
    private readonly object _gate = new();
    private readonly Thread _thread;
    private readonly ArrayBufferWriter<byte> _line = new(1 << 16);
    private readonly Utf8JsonWriter _json;
    private List<PendingLine> _pending = new(64);
    private List<PendingLine> _draining = new(64);
    private int _copiedSteps;
    private int _copiedHistograms;
    private bool _nonFiniteSent;
    private bool _closing;
    private bool _completed;
    private Exception? _failure;

    /// <summary>
    /// Writes the header of <paramref name="record"/> (its <see cref="RunRecord.Trace"/> is the
    /// monitor's live trace) to <paramref name="output"/> and starts the writer thread.
    /// </summary>
    /// <param name="output">Where the lines go; disposed with the writer unless <paramref name="leaveOpen"/>.</param>
    /// <param name="record">The run: identity, spec, data, layers and the trace the monitor fills.</param>
    /// <param name="describe">How messages name the output (<c>--trace 'run.jsonl'</c>).</param>
    /// <param name="leaveOpen">Keep <paramref name="output"/> open (standard output).</param>
    public TraceWriter(Stream output, RunRecord record, string describe = "trace", bool leaveOpen = false)
    {
        _leaveOpen = leaveOpen;
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(record);
        _output = output;
        _describe = describe;
        _trace = record.Trace;
        _ring = new StepRing(_trace.LayerCount);
        _json = new Utf8JsonWriter(_line);
        WriteLine(w => TraceLines.Header(w, record));
        Flush();
        _thread = new Thread(Drain) { IsBackground = true, Name = "gradscope trace writer" };
        _thread.Start();
    }

    /// <summary>
    /// Queues what the trace gained since the last call: completed steps, histograms, the first
    /// non-finite value. Call it on the training thread after the monitor finished a step. Waits
    /// when the writer is a full ring behind (a slow disk), so no step is lost.
    /// </summary>
    public void Record()
    {
        int steps = _trace.StepCount;
        bool events = _trace.Histograms.Count > _copiedHistograms || (_trace.FirstNonFinite is not null && !_nonFiniteSent);
        if (steps == _copiedSteps && !events)
            return;
        lock (_gate)
        {
            for (; _copiedSteps < steps; _copiedSteps++)
            {
                while (_ring.IsFull)
                {
                    Monitor.Pulse(_gate);
                    Monitor.Wait(_gate);
                }

                _ring.Fill(_trace, _copiedSteps);
                _ring.Head++;
            }

            if (events)
                QueueEvents();
            if (_ring.Head - _ring.Tail >= _ring.Capacity / 2)
                Monitor.Pulse(_gate);
        }
    }

    /// <summary>Queues an epoch's summary line.</summary>
    public void Epoch(EpochResult epoch)
    {
        Record();
        lock (_gate)
            _pending.Add(new PendingLine(_ring.Head, -1, epoch));
    }

    /// <summary>
    /// Writes what remains, the findings and the <c>end</c> line, flushes and stops the writer thread.
    /// </summary>
    /// <exception cref="GradscopeException">A write failed (disk full, ...); the message names the output.</exception>
    public void Complete(RunStatus status, RunMetrics final, IReadOnlyList<Finding> findings, string? error = null)
    {
        ArgumentNullException.ThrowIfNull(findings);
        Record();
        lock (_gate)
        {
            foreach (var finding in findings)
                _pending.Add(new PendingLine(_ring.Head, -1, finding));
            _pending.Add(new PendingLine(_ring.Head, -1, new EndLine(status, _trace.StepCount, DateTimeOffset.UtcNow, final ?? RunMetrics.None, error)));
        }

        Stop();
        _completed = true;
        if (_failure is not null)
            throw new GradscopeException($"cannot write {_describe}: {_failure.Message}", _failure);
    }

    /// <summary>Stops the writer; without <see cref="Complete"/> the trace has no <c>end</c> line (an interrupted writer).</summary>
    public void Dispose()
    {
        if (!_completed)
        {
            Record();
            Stop();
        }

        _json.Dispose();
        if (_leaveOpen)
            Flush();
        else
            _output.Dispose();
    }

    private void Stop()
    {
        lock (_gate)
        {
            _closing = true;
            Monitor.PulseAll(_gate);
        }

        _thread.Join();
    }

    private void QueueEvents()
    {
        var histograms = _trace.Histograms;
        for (; _copiedHistograms < histograms.Count; _copiedHistograms++)
            _pending.Add(new PendingLine(_ring.Head, _trace.StepNumber(histograms[_copiedHistograms].Step), histograms[_copiedHistograms]));
        if (_trace.FirstNonFinite is { } nonFinite && !_nonFiniteSent)
        {
            _nonFiniteSent = true;
            _pending.Add(new PendingLine(_ring.Head, _trace.StepNumber(nonFinite.Step), nonFinite));
        }
    }

    // The writer thread: wakes every PollInterval (or when the ring is half full), writes what is
    // queued in order, and flushes at least once a second; stops when closing and drained.
    private void Drain()
    {
        long lastFlush = Stopwatch.GetTimestamp();
        while (true)
        {
            long head;
            bool closing;
            lock (_gate)
            {
                if (!_closing && _ring.Head == _ring.Tail && _pending.Count == 0)
                    Monitor.Wait(_gate, PollInterval);
                head = _ring.Head;
                closing = _closing;
                (_pending, _draining) = (_draining, _pending);
            }

            WriteQueued(head);
            if (closing || Stopwatch.GetElapsedTime(lastFlush) >= FlushInterval)
            {
                Flush();
                lastFlush = Stopwatch.GetTimestamp();
            }

            if (closing)
            {
                lock (_gate)
                {
                    if (_ring.Head == _ring.Tail && _pending.Count == 0)
                        return;
                }
            }
        }
    }

    // A line other than a step, written after the first AfterSteps steps; StepNumber is its training step (-1 for none).
    private readonly record struct PendingLine(long AfterSteps, int StepNumber, object Item);

    private sealed record EndLine(RunStatus Status, int Steps, DateTimeOffset Ended, RunMetrics Final, string? Error);
}
