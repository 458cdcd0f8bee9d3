using Gradscope.Lab.Store;

namespace Gradscope.Lab.Sweeps.Workers;

/// <summary>What a worker process of the shared trial queue does (<c>gradscope worker</c>).</summary>
public sealed record WorkerOptions
{
    /// <summary>The shared store (PostgreSQL).</summary>
    public required StoreLocation Store { get; init; }

    /// <summary>The sweep whose trials to run; null runs any sweep's.</summary>
    public string? Sweep { get; init; }

    /// <summary>Trials trained at once, each on one thread.</summary>
    public int Slots { get; init; } = 1;

    /// <summary>Trials this process claims at most; null for no limit.</summary>
    public int? MaxTrials { get; init; }

    /// <summary>Exit once nothing of the sweep (or of any sweep) has been queued or running anywhere for this long; null waits for work forever.</summary>
    public TimeSpan? IdleExit { get; init; }

    /// <summary>How long a claim holds without a heartbeat; the heartbeat renews it every third of it.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A trial whose attempts failed or lost their lease this many times is failed for good.</summary>
    public int MaxAttempts { get; init; } = RunStore.DefaultMaxAttempts;

    /// <summary>How long each store operation keeps being retried while the database is unreachable.</summary>
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The pause between looks at an empty queue (jittered by ±50% so workers do not poll in step).</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>What a worker did.</summary>
/// <param name="Done">Trials it finished done.</param>
/// <param name="Failed">Attempts that failed.</param>
/// <param name="Interrupted">Attempts given back or whose lease was lost.</param>
/// <param name="Failure">The store error that stopped it, or null.</param>
public sealed record WorkerResult(int Done, int Failed, int Interrupted, Exception? Failure);

/// <summary>One line of a worker's log: a trial started or ended in a slot.</summary>
/// <param name="Slot">The slot (1-based).</param>
/// <param name="Claim">The trial and attempt.</param>
/// <param name="State">started, done, diverged, failed, retry (failed, queued again), interrupted, given back, lease lost.</param>
/// <param name="Seconds">Seconds since the trial started (0 at its start).</param>
/// <param name="Detail">The error, when there is one.</param>
public sealed record TrialEvent(int Slot, ClaimedTrial Claim, string State, double Seconds, string? Detail);
