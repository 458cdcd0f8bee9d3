namespace Gradscope.Lab.Store;

/// <summary>A trial a worker slot claimed from the shared queue: what to train and the attempt's identity.</summary>
/// <param name="Sweep">The trial's sweep.</param>
/// <param name="Trial">The trial as stored when claimed.</param>
/// <param name="Attempt">The attempt number (1 for the first claim of the trial).</param>
/// <param name="Worker">The slot that holds the lease (<see cref="WorkerIdentity.Slot"/>).</param>
/// <param name="RunId">The id the attempt's run is recorded under.</param>
public sealed record ClaimedTrial(string Sweep, StoredTrial Trial, int Attempt, string Worker, string RunId);

/// <summary>Who a worker process is: an id unique over every machine and process, and its host.</summary>
/// <param name="Id">The process's id (host, pid and a ULID: readable and never reused).</param>
/// <param name="Host">The machine's name.</param>
public sealed record WorkerIdentity(string Id, string Host)
{
    /// <summary>A new identity for this process.</summary>
    public static WorkerIdentity ForThisProcess() =>
        new($"{Environment.MachineName}:{Environment.ProcessId}:{Ulid.New()}", Environment.MachineName);

    /// <summary>The identity of slot <paramref name="slot"/> (1-based): the worker that holds a lease.</summary>
    public string Slot(int slot) => $"{Id}/{slot}";
}

/// <summary>A trial some worker is training now.</summary>
/// <param name="Key">Its key.</param>
/// <param name="Cell">Its cell.</param>
/// <param name="Seed">Its seed.</param>
/// <param name="Worker">The slot holding it.</param>
/// <param name="Host">The slot's machine.</param>
/// <param name="Attempt">Which attempt.</param>
/// <param name="Seconds">How long the attempt has run (database clock).</param>
/// <param name="LeaseLapsedSeconds">
/// How long ago its lease ran out, its worker having stopped renewing it (killed, or cut off from
/// the store); null while the lease holds. The next worker to poll queues such a trial again.
/// </param>
public sealed record RunningTrial(string Key, string Cell, int Seed, string Worker, string Host, int Attempt, double Seconds, double? LeaseLapsedSeconds);

/// <summary>A trial that failed for good.</summary>
/// <param name="Key">Its key.</param>
/// <param name="Cell">Its cell.</param>
/// <param name="Seed">Its seed.</param>
/// <param name="Attempts">How many attempts it had.</param>
/// <param name="LastError">The error of its last attempt.</param>
public sealed record FailedTrial(string Key, string Cell, int Seed, int Attempts, string? LastError);

/// <summary>Where a sweep's queue stands (<c>gradscope sweep status</c>).</summary>
/// <param name="Name">The sweep.</param>
/// <param name="Counts">Trials per state, indexed by <see cref="TrialState"/>.</param>
/// <param name="Running">The trials training now.</param>
/// <param name="Failed">The trials failed for good.</param>
/// <param name="TrialsPerMinute">Trials finished per minute over the last ten minutes (or since the sweep's first attempt).</param>
/// <param name="WorkersAlive">Worker processes for this sweep (or any) whose heartbeat is recent.</param>
/// <param name="EtaSeconds">Seconds until the queued and running trials are done at that rate; null without a rate.</param>
public sealed record SweepQueueStatus(string Name, IReadOnlyList<int> Counts, IReadOnlyList<RunningTrial> Running, IReadOnlyList<FailedTrial> Failed,
    double TrialsPerMinute, int WorkersAlive, double? EtaSeconds)
{
    /// <summary>Trials in <paramref name="state"/>.</summary>
    public int Count(TrialState state) => Counts[(int)state];
}
