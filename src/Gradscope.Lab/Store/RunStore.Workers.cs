namespace Gradscope.Lab.Store;

public sealed partial class RunStore
{
    // How far back the trials-per-minute rate looks.
    private static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(10);

    /// <summary>Announces worker process <paramref name="worker"/> (idempotent: a retried registration changes nothing).</summary>
    public void RegisterWorker(WorkerIdentity worker, string? sweep, int slots, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(worker);
        Guard(() => Run(Connection,
            $"""
            INSERT INTO workers (id, host, pid, sweep, slots, lease_seconds, started, heartbeat) VALUES (@id, @host, @pid, @sweep, @slots, @lease, {_dialect.Now}, {_dialect.Now})
            ON CONFLICT (id) DO NOTHING
            """,
            ("@id", worker.Id), ("@host", worker.Host), ("@pid", (long)Environment.ProcessId), ("@sweep", sweep), ("@slots", slots), ("@lease", lease.TotalSeconds)));
    }

    /// <summary>The worker's heartbeat, with how many trials it has finished.</summary>
    public void BeatWorker(WorkerIdentity worker, int done)
    {
        ArgumentNullException.ThrowIfNull(worker);
        Guard(() => Run(Connection, $"UPDATE workers SET heartbeat = {_dialect.Now}, done = @done WHERE id = @id", ("@id", worker.Id), ("@done", done)));
    }

    /// <summary>Records that the worker stopped.</summary>
    public void StopWorker(WorkerIdentity worker, int done)
    {
        ArgumentNullException.ThrowIfNull(worker);
        Guard(() => Run(Connection, $"UPDATE workers SET heartbeat = {_dialect.Now}, stopped = {_dialect.Now}, done = @done WHERE id = @id", ("@id", worker.Id), ("@done", done)));
    }

    /// <summary>Where sweep <paramref name="name"/>'s queue stands; null when there is no such sweep.</summary>
    public SweepQueueStatus? QueueStatus(string name) => Guard(() =>
    {
        // One snapshot, so that the counts and the rows agree while workers change them.
        using var snapshot = _dialect.BeginSnapshot(Connection);
        var found = ReadSweeps("WHERE name = @name", ("@name", name));
        if (found.Count == 0)
            return null;
        var sweep = found[0];
        var now = ParseTimestamp((string)Scalar(Connection, $"SELECT {_dialect.Now}")!);
        var running = ReadRunning(name, now);
        var failed = ReadFailed(name);
        int left = sweep.Count(TrialState.Queued) + sweep.Count(TrialState.Running) + sweep.Count(TrialState.Interrupted);
        double rate = Rate(name, left == 0 ? LastFinished(name) ?? now : now);
        int alive = WorkersAlive(name, now);
        double? eta = rate > 0 ? left / rate * 60 : left == 0 ? 0 : null;
        return new SweepQueueStatus(name, sweep.Counts, running, failed, rate, alive, eta);
    });

    // When the sweep's last trial finished: a drained sweep's rate is measured up to then, not up to now.
    private DateTimeOffset? LastFinished(string sweep) =>
        Scalar(Connection, "SELECT max(finished) FROM sweep_trials WHERE sweep = @sweep", ("@sweep", sweep)) is string last ? ParseTimestamp(last) : null;

    private List<RunningTrial> ReadRunning(string sweep, DateTimeOffset now)
    {
        using var command = Command(
            """
            SELECT t.trial_key, t.cell, t.seed, coalesce(a.worker, t.worker, '?'), coalesce(a.host, '?'), t.attempts, a.started, t.lease_until FROM sweep_trials t
            LEFT JOIN trial_attempts a ON a.sweep = t.sweep AND a.trial_key = t.trial_key AND a.attempt = t.attempts
            WHERE t.sweep = @sweep AND t.state = 'running' ORDER BY t.idx
            """,
            ("@sweep", sweep));
        using var reader = command.ExecuteReader();
        var running = new List<RunningTrial>();
        while (reader.Read())
        {
            double seconds = reader.IsDBNull(6) ? double.NaN : (now - ParseTimestamp(reader.GetString(6))).TotalSeconds;
            double? lapsed = reader.IsDBNull(7) ? null : (now - ParseTimestamp(reader.GetString(7))).TotalSeconds;
            running.Add(new RunningTrial(reader.GetString(0), reader.GetString(1), Int(reader, 2), reader.GetString(3), reader.GetString(4), Int(reader, 5), seconds,
                lapsed > 0 ? lapsed : null));
        }

        return running;
    }

    private List<FailedTrial> ReadFailed(string sweep)
    {
        using var command = Command("SELECT trial_key, cell, seed, attempts, last_error FROM sweep_trials WHERE sweep = @sweep AND state = 'failed' ORDER BY idx", ("@sweep", sweep));
        using var reader = command.ExecuteReader();
        var failed = new List<FailedTrial>();
        while (reader.Read())
            failed.Add(new FailedTrial(reader.GetString(0), reader.GetString(1), Int(reader, 2), Int(reader, 3), Text(reader, 4)));
        return failed;
    }

    // Trials finished in the window that ends at `now`, per minute of the window (which starts no earlier than the sweep's first attempt).
    private double Rate(string sweep, DateTimeOffset now)
    {
        string since = Timestamp(now - RateWindow);
        int finished = Convert.ToInt32(Scalar(Connection, "SELECT count(*) FROM sweep_trials WHERE sweep = @sweep AND finished >= @since",
            ("@sweep", sweep), ("@since", since)), System.Globalization.CultureInfo.InvariantCulture);
        if (finished == 0)
            return 0;
        var first = Scalar(Connection, "SELECT min(started) FROM trial_attempts WHERE sweep = @sweep", ("@sweep", sweep)) as string;
        var start = first is null ? now - RateWindow : ParseTimestamp(first);
        if (start < now - RateWindow)
            start = now - RateWindow;
        double minutes = Math.Max((now - start).TotalMinutes, 1.0 / 60);
        return finished / minutes;
    }

    // A worker is alive while it has not stopped and its last heartbeat is within its lease.
    private int WorkersAlive(string sweep, DateTimeOffset now)
    {
        using var command = Command("SELECT heartbeat, lease_seconds FROM workers WHERE stopped IS NULL AND (sweep = @sweep OR sweep IS NULL)", ("@sweep", sweep));
        using var reader = command.ExecuteReader();
        int alive = 0;
        while (reader.Read())
        {
            if (now - ParseTimestamp(reader.GetString(0)) <= TimeSpan.FromSeconds(Real(reader, 1)))
                alive++;
        }

        return alive;
    }
}
