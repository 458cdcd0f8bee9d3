using System.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;

namespace Gradscope.Lab.Sweeps.Workers;

/// <summary>
/// One slot of a worker: re-queues lapsed leases, claims the next trial, trains it under a lease
/// the heartbeat renews, and records the attempt's end; polls (with jitter) while nothing is
/// claimable. Never reports a trial done that its lease no longer covers: the store's conditional
/// finish decides, not this thread.
/// </summary>
internal sealed class WorkerSlot(Worker worker, int number, Heartbeat heartbeat, CancellationTokenSource stopAll)
{
    private readonly string _id = worker.Identity.Slot(number);
    private Stopwatch? _idle;

    public void Run()
    {
        var stop = stopAll.Token;
        try
        {
            using var store = worker.Open();
            while (!stop.IsCancellationRequested && worker.Reserve())
            {
                store.RequeueExpired(worker.Options.MaxAttempts);
                var claim = store.ClaimNext(worker.Options.Sweep, _id, worker.Identity.Host, worker.Options.Lease);
                if (claim is null)
                {
                    worker.Unreserve();
                    if (IdleLongEnough(store))
                        return;
                    stop.WaitHandle.WaitOne(worker.Options.Poll * (0.5 + Random.Shared.NextDouble()));
                    continue;
                }

                _idle = null;
                Train(store, claim, stop);
            }
        }
        catch (StoreException ex)
        {
            worker.Fail(ex, stopAll);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Never an unhandled exception on a slot's thread (it would end the process with a
            // stack trace); the worker stops with the reason, and its lease returns the trial.
            worker.Fail(new StoreException($"worker slot {number} stopped: {ex.Message}", ex), stopAll);
        }
    }

    // The idle clock runs while nothing of the sweep is queued or running anywhere.
    private bool IdleLongEnough(RunStore store)
    {
        if (worker.Options.IdleExit is not { } limit)
            return false;
        if (store.HasPendingTrials(worker.Options.Sweep))
        {
            _idle = null;
            return false;
        }

        _idle ??= Stopwatch.StartNew();
        return _idle.Elapsed >= limit;
    }

    private void Train(RunStore store, ClaimedTrial claim, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        worker.Report(new TrialEvent(number, claim, "started", 0, null));
        using var lease = new TrialLease(claim, stop);
        heartbeat.Hold(number - 1, lease);
        TrialOutcome outcome;
        try
        {
            outcome = TrialTraining.Recorded(claim, worker.Options.Store, worker.Options.RetryBudget, worker.Warn, lease.Token);
        }
        catch (StoreException)
        {
            lease.End();
            heartbeat.Hold(number - 1, null);
            TryGiveBack(store, claim, "its worker lost the store");
            throw;
        }

        lease.End();
        heartbeat.Hold(number - 1, null);
        string state = Finish(store, claim, outcome, lease.Lost, stop);
        worker.Report(new TrialEvent(number, claim, state, clock.Elapsed.TotalSeconds, outcome.Error));
    }

    // Records the attempt's end; returns the state the log shows.
    private string Finish(RunStore store, ClaimedTrial claim, TrialOutcome outcome, bool leaseLost, CancellationToken stop)
    {
        if (outcome.Status != RunStatus.Interrupted)
        {
            bool done = outcome.Done;
            if (store.FinishAttempt(claim, done, outcome.RunId, outcome.Error, worker.Options.MaxAttempts))
            {
                worker.Count(done);
                return done ? (outcome.Status == RunStatus.Diverged ? "diverged" : "done")
                    : store.TrialStateOf(claim) == TrialState.Failed ? "failed" : "retry";
            }

            // Another attempt owns the trial now: this run does not count.
            store.MarkRunInterrupted(outcome.RunId, LostMessage());
            worker.Count(null);
            return "lease lost";
        }

        worker.Count(null);
        if (!leaseLost && stop.IsCancellationRequested)
        {
            string reason = $"worker {_id} was stopped; the trial was queued again";
            store.GiveBack(claim, reason);
            store.MarkRunInterrupted(outcome.RunId, reason);
            return "given back";
        }

        store.RequeueExpired(worker.Options.MaxAttempts); // ours, if no other worker has re-queued it yet
        store.MarkRunInterrupted(outcome.RunId, LostMessage());
        return "lease lost";
    }

    private string LostMessage() => $"worker {_id} lost its lease on the trial (its heartbeat could not renew it in time); another attempt runs it";

    private void TryGiveBack(RunStore store, ClaimedTrial claim, string reason)
    {
        try
        {
            store.RetryBudget = TimeSpan.Zero;
            store.GiveBack(claim, $"worker {_id}: {reason}; the trial was queued again");
        }
        catch (StoreException)
        {
            // Unreachable: its lease lapses and another worker re-queues it.
        }
    }
}
