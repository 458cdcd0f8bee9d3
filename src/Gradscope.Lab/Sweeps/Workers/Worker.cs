using Gradscope.Lab.Store;

namespace Gradscope.Lab.Sweeps.Workers;

/// <summary>
/// A worker of the shared trial queue: <see cref="WorkerOptions.Slots"/> threads, each claiming one
/// trial at a time and training it single-threaded with its run recorded live, and a heartbeat that
/// renews their leases. It ends when told to stop (its trials given back at once), when it has
/// claimed <see cref="WorkerOptions.MaxTrials"/>, when the queue has been idle for
/// <see cref="WorkerOptions.IdleExit"/>, or when the store stays unreachable beyond the retry budget.
/// </summary>
public sealed class Worker
{
    private readonly WorkerOptions _options;
    private readonly Action<TrialEvent> _report;
    private readonly Action<string> _warn;
    private int _reserved;
    private int _done;
    private int _failed;
    private int _interrupted;
    private Exception? _failure;

    /// <param name="options">What to run.</param>
    /// <param name="report">Told of each trial's start and end (from the slots' threads).</param>
    /// <param name="warn">Told of store retries and other warnings (from any thread).</param>
    public Worker(WorkerOptions options, Action<TrialEvent> report, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _report = report;
        _warn = warn;
    }

    /// <summary>This process's identity in the store.</summary>
    public WorkerIdentity Identity { get; } = WorkerIdentity.ForThisProcess();

    /// <summary>Runs until one of the ends above; <paramref name="stop"/> gives the trials back and ends it.</summary>
    /// <exception cref="StoreException">The store cannot be opened, or the worker not registered (neither is retried).</exception>
    public WorkerResult Run(CancellationToken stop)
    {
        // Registering is the first contact, and it is not retried: a store that is unreachable from
        // the start is far more often a wrong host or port than a restart, and waiting out the retry
        // budget (minutes of warnings) would hide it. Once registered, losses are retried.
        using (var store = RunStore.Open(_options.Store))
        {
            store.RegisterWorker(Identity, _options.Sweep, _options.Slots, _options.Lease);
            // Workers may start before their sweep is queued (a batch job submitted first), so an
            // unknown name is not an error; but a typo would otherwise wait silently.
            if (_options.Sweep is { } sweep && store.FindSweep(sweep) is null)
                _warn($"warning: the store has no sweep '{sweep}' yet; waiting for it to be queued ('gradscope sweep list --store {_options.Store.Display}' lists the sweeps).");
        }

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using (var heartbeat = new Heartbeat(_options, Identity, () => Volatile.Read(ref _done), _warn))
        {
            heartbeat.Start();
            var threads = new Thread[_options.Slots];
            for (int s = 0; s < threads.Length; s++)
            {
                var slot = new WorkerSlot(this, s + 1, heartbeat, failed);
                threads[s] = new Thread(slot.Run) { IsBackground = true, Name = $"Gradscope worker slot {s + 1}" };
                threads[s].Start();
            }

            foreach (var thread in threads)
                thread.Join();
        }

        Stopped();
        return new WorkerResult(_done, _failed, _interrupted, _failure);
    }

    internal WorkerOptions Options => _options;

    internal Action<string> Warn => _warn;

    internal RunStore Open() => RunStore.Open(_options.Store, _options.RetryBudget, _warn);

    internal void Report(TrialEvent e) => _report(e);

    /// <summary>Reserves one of the trials this process may claim; false when it has claimed them all.</summary>
    internal bool Reserve()
    {
        if (Interlocked.Increment(ref _reserved) <= (_options.MaxTrials ?? int.MaxValue))
            return true;
        Interlocked.Decrement(ref _reserved);
        return false;
    }

    internal void Unreserve() => Interlocked.Decrement(ref _reserved);

    internal void Count(bool? done)
    {
        if (done is true)
            Interlocked.Increment(ref _done);
        else if (done is false)
            Interlocked.Increment(ref _failed);
        else
            Interlocked.Increment(ref _interrupted);
    }

    /// <summary>A slot hit a store error it cannot get past: every slot stops and gives its trial back.</summary>
    internal void Fail(Exception ex, CancellationTokenSource stopAll)
    {
        Interlocked.CompareExchange(ref _failure, ex, null);
        stopAll.Cancel();
    }

    private void Stopped()
    {
        try
        {
            using var store = Open();
            store.RetryBudget = _failure is null ? _options.RetryBudget : TimeSpan.Zero;
            store.StopWorker(Identity, _done);
        }
        catch (StoreException ex)
        {
            _warn($"warning: could not record that the worker stopped: {ex.Message}");
        }
    }
}
