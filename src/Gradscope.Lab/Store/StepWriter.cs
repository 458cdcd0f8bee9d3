using System.Data.Common;
using Gradscope.Diagnostics;
using Gradscope.Training;

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

    private readonly StoreConnection _db;
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

    public StepWriter(StoreConnection db, string runId, StepRing ring, Action<string> warn)
    {
        _db = db;
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
        catch (Exception ex) when (ex is StoreException or InvalidOperationException or IOException)
        {
            _failed = true;
            _space.Set();
            _warn($"warning: recording stopped after a failed write: {ex.Message}");
        }
    }

    // Everything pending in one transaction. A retried transaction (the connection was lost) may
    // have committed before the loss was seen: it then starts after the last step row the store has.
    private void Flush()
    {
        long head = _ring.Head;
        List<HistogramRecord> histograms;
        List<EpochResult> epochs;
        lock (_pendingLock)
        {
            (histograms, _histograms) = (_histograms, []);
            (epochs, _epochs) = (_epochs, []);
        }

        int attempt = 0;
        try
        {
            _db.Run(connection => Write(connection, attempt++ == 0 ? _ring.Tail : Math.Max(_ring.Tail, StoredSteps(connection)), head, histograms, epochs));
        }
        catch
        {
            lock (_pendingLock)
            {
                histograms.AddRange(_histograms);
                epochs.AddRange(_epochs);
                (_histograms, _epochs) = (histograms, epochs);
            }

            throw;
        }

        _ring.Release(head);
        _space.Set();
    }

    private void Write(DbConnection connection, long from, long head, List<HistogramRecord> histograms, List<EpochResult> epochs)
    {
        using var transaction = _db.Dialect.BeginWrite(connection);
        using (var rows = new StepRows(connection, _db.Dialect, _runId, (_ring.SlotLength - 4) / LayerStatNames.Count))
        {
            for (long i = from; i < head; i++)
            {
                var (step, loss, lr, wall) = _ring.Read(i, _stats);
                StepRows.Encode(_stats, _blob);
                rows.Insert((int)i, step, loss, lr, wall, _blob);
            }

            foreach (var histogram in histograms)
                rows.InsertHistogram(histogram);
            foreach (var epoch in epochs)
                rows.InsertEpoch(epoch);
            rows.CompleteSteps();
        }

        RunStore.Run(connection, "UPDATE runs SET heartbeat = @now, steps = @steps WHERE id = @id",
            ("@now", RunStore.Timestamp(DateTimeOffset.UtcNow)), ("@steps", head), ("@id", _runId));
        transaction.Commit();
    }

    private long StoredSteps(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(idx) + 1, 0) FROM steps WHERE run_id = @id";
        RunStore.AddParameter(command, "@id", _runId);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
