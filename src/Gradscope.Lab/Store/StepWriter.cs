using Gradscope.Diagnostics;
using Gradscope.Training;
using Microsoft.Data.Sqlite;

namespace Gradscope.Lab.Store;

/// <summary>
/// The background thread that moves a run's recorded steps from the <see cref="StepRing"/> into the
/// store: every <see cref="FlushInterval"/> (sooner when the ring is half full) it writes everything
/// pending in one transaction and updates the run's step count and heartbeat, so a killed process
/// loses at most the last interval. A failed write (disk full, a lock held too long) is reported
/// once and ends recording; training goes on.
/// </summary>
internal sealed class StepWriter : IDisposable
{
    /// <summary>The longest a recorded step waits before it is on disk.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly SqliteConnection _connection;
    private readonly string _storePath;
    private readonly string _runId;
    private readonly StepRing _ring;
    private readonly Action<string> _warn;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly ManualResetEventSlim _space = new(true);
    private readonly Lock _pendingLock = new();
    private readonly Thread _thread;
    private readonly double[] _stats;
    private readonly byte[] _blob;
    private List<HistogramRecord> _histograms = [];
    private List<EpochResult> _epochs = [];
    private volatile bool _stopping;
    private volatile bool _failed;

    public StepWriter(SqliteConnection connection, string storePath, string runId, StepRing ring, Action<string> warn)
    {
        _connection = connection;
        _storePath = storePath;
        _runId = runId;
        _ring = ring;
        _warn = warn;
        _stats = new double[ring.SlotLength - 4];
        _blob = new byte[_stats.Length * sizeof(double)];
        _thread = new Thread(Loop) { IsBackground = true, Name = "gradscope run store writer" };
        _thread.Start();
    }

    /// <summary>True once a write failed: nothing more is recorded.</summary>
    public bool Failed => _failed;

    /// <summary>Asks for a flush now (the ring is filling up).</summary>
    public void Wake() => _wake.Set();

    /// <summary>Blocks the producer until the writer has freed slots; only when the disk is a whole ring behind.</summary>
    public void WaitForSpace()
    {
        _space.Reset();
        _wake.Set();
        if (_ring.Pending >= _ring.Capacity && !_failed)
            _space.Wait(FlushInterval);
    }

    public void Add(HistogramRecord histogram)
    {
        lock (_pendingLock)
            _histograms.Add(histogram);
    }

    public void Add(EpochResult epoch)
    {
        lock (_pendingLock)
            _epochs.Add(epoch);
    }

    /// <summary>Writes what is pending and stops the thread.</summary>
    public void Stop()
    {
        _stopping = true;
        _wake.Set();
        _thread.Join();
    }

    public void Dispose()
    {
        if (_thread.IsAlive)
            Stop();
        _wake.Dispose();
        _space.Dispose();
    }

    private void Loop()
    {
        while (true)
        {
            bool last = _stopping;
            _wake.Wait(FlushInterval);
            _wake.Reset();
            if (!_failed)
                TryFlush();
            if (last || (_stopping && _ring.Pending == 0))
                return;
        }
    }

    private void TryFlush()
    {
        try
        {
            Flush();
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
        {
            _failed = true;
            _space.Set();
            string reason = ex is SqliteException sqlite ? RunStore.Explain(sqlite, _storePath).Message : ex.Message;
            _warn($"warning: recording stopped after a failed write: {reason}");
        }
    }

    private void Flush()
    {
        long tail = _ring.Tail, head = _ring.Head;
        List<HistogramRecord> histograms;
        List<EpochResult> epochs;
        lock (_pendingLock)
        {
            (histograms, _histograms) = (_histograms, []);
            (epochs, _epochs) = (_epochs, []);
        }

        using (var transaction = _connection.BeginTransaction(deferred: false))
        using (var rows = new StepRows(_connection, _runId, (_ring.SlotLength - 4) / LayerStatNames.Count))
        {
            for (long i = tail; i < head; i++)
            {
                var (step, loss, lr, wall) = _ring.Read(i, _stats);
                StepRows.Encode(_stats, _blob);
                rows.Insert((int)i, step, loss, lr, wall, _blob);
            }

            foreach (var histogram in histograms)
                rows.InsertHistogram(histogram);
            foreach (var epoch in epochs)
                rows.InsertEpoch(epoch);
            RunStore.Run(_connection, "UPDATE runs SET heartbeat = $now, steps = $steps WHERE id = $id",
                ("$now", RunStore.Timestamp(DateTimeOffset.UtcNow)), ("$steps", head), ("$id", _runId));
            transaction.Commit();
        }

        _ring.Release(head);
        _space.Set();
    }
}
