using System.Numerics;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Layers;
using Gradscope.Training;

namespace Gradscope.Lab.Store;

/// <summary>
/// Records a run into the store as it trains. Attach it after the <see cref="GradientMonitor{T}"/>
/// whose trace it records: at each step's end it copies the step the monitor just recorded into a
/// ring allocated once (no allocation, no disk on the training thread), and a background writer
/// flushes the ring to the store at least every second. <see cref="Complete"/> writes the rest and
/// the run's end. If the store fails mid-run, one warning is printed and training goes on unrecorded.
/// </summary>
public sealed class RunRecorder<T> : ITrainingObserver<T>, IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    // The ring holds about this many bytes of steps (at least MinSlots): seconds of steps for the
    // networks the monitor can afford to watch at every step.
    private const long RingBytes = 16L << 20;
    private const int MinSlots = 64;

    // How long a run recorded into a PostgreSQL server waits for it through a restart or a network
    // drop before recording stops (a SQLite file has no server to come back).
    private static readonly TimeSpan ServerRetryBudget = TimeSpan.FromMinutes(2);

    private readonly Trace _trace;
    private readonly StepRing _ring;
    private readonly StepWriter _writer;
    private readonly StoreConnection _db;
    private int _recorded;
    private int _histogramsSeen;
    private bool _completed;

    private RunRecorder(Trace trace, StoreConnection db, string runId, Action<string> warn, int ringSlots)
    {
        _trace = trace;
        _db = db;
        RunId = runId;
        int slots = ringSlots > 0 ? ringSlots : (int)Math.Clamp(RingBytes / StepRing.SlotBytes(trace.LayerCount), MinSlots, 1 << 16);
        _ring = new StepRing(trace.LayerCount, slots);
        _writer = new StepWriter(db, runId, _ring, warn);
    }

    /// <summary>The run's id.</summary>
    public string RunId { get; }

    /// <summary>True once a write failed and recording stopped.</summary>
    public bool Failed => _writer.Failed;

    /// <summary>
    /// Opens the store at <paramref name="storePath"/> on a connection of its own, records the start of
    /// <paramref name="run"/> (whose <see cref="RunRecord.Trace"/> is the monitor's, still empty or
    /// not) and starts the writer. <paramref name="warn"/> gets the one warning of a failed write.
    /// </summary>
    /// <exception cref="StoreException">The store cannot be opened or written.</exception>
    public static RunRecorder<T> Start(string storePath, RunRecord run, Action<string> warn) => Start(storePath, run, warn, 0);

    /// <summary>As <see cref="Start(string, RunRecord, Action{string})"/> with a ring of <paramref name="ringSlots"/> steps (0: sized by the layers).</summary>
    internal static RunRecorder<T> Start(string storePath, RunRecord run, Action<string> warn, int ringSlots)
    {
        var location = StoreLocation.Parse(storePath);
        return Start(location, run, warn, ringSlots, location.IsPostgres ? ServerRetryBudget : TimeSpan.Zero);
    }

    /// <summary>
    /// As <see cref="Start(string, RunRecord, Action{string})"/>, keeping on through a database that goes
    /// away for up to <paramref name="retryBudget"/> at a time (a worker's runs in a shared PostgreSQL
    /// store): training waits while the ring is full, and no step is written twice.
    /// </summary>
    internal static RunRecorder<T> Start(StoreLocation location, RunRecord run, Action<string> warn, int ringSlots, TimeSpan retryBudget)
    {
        ArgumentNullException.ThrowIfNull(run);
        using (var store = RunStore.Open(location, retryBudget, warn))
            store.Begin(run);

        var connection = StoreConnection.Retrying(location, retryBudget, warn, () => RunStore.Connect(location));
        var db = new StoreConnection(location, connection) { RetryBudget = retryBudget, OnRetry = warn };
        return new RunRecorder<T>(run.Trace, db, run.Id, warn, ringSlots);
    }

    /// <inheritdoc/>
    public void OnGradients(Sequential<T> model, in StepInfo step)
    {
    }

    /// <inheritdoc/>
    public void OnStepEnd(Sequential<T> model, in StepInfo step)
    {
        // The monitor finished the step in its own OnStepEnd (weight norms, update ratios), which ran first.
        while (_recorded < _trace.StepCount && !_writer.Failed)
        {
            if (_ring.TryWrite(_trace, _recorded))
                _recorded++;
            else
                _writer.WaitForSpace();
        }

        if (_ring.Pending >= _ring.Capacity / 2)
            _writer.Wake();
        while (_histogramsSeen < _trace.Histograms.Count)
            _writer.Add(_trace.Histograms[_histogramsSeen++]);
    }

    /// <inheritdoc/>
    public void OnEpochEnd(EpochResult epoch) => _writer.Add(epoch);

    /// <summary>Writes the steps still pending, then the run's end (status, final numbers, findings, model).</summary>
    public void Complete(RunEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        if (_completed)
            return;
        _completed = true;
        _writer.Stop();
        if (_writer.Failed)
            return;
        _db.Run(connection => RunStore.FinishRun(connection, RunId, end));
    }

    /// <summary>Stops the writer; a run not completed stays <c>running</c> until a reader finds its process gone.</summary>
    public void Dispose()
    {
        _writer.Dispose();
        _db.Dispose();
    }
}
