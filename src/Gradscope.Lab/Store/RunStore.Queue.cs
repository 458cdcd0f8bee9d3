namespace Gradscope.Lab.Store;

/// <summary>
/// The shared trial queue (workers on many machines): claim, lease renewal, re-queueing of lapsed
/// leases, finishing and giving back an attempt. Every method is one transaction that can be run
/// again after a lost connection without harm: each update is conditional on the attempt's identity
/// (sweep, trial, attempt number and worker) and on the state it leaves, never a blind write.
/// Lease times are the database's clock, so workers whose clocks disagree still agree on them.
/// </summary>
public sealed partial class RunStore
{
    /// <summary>Failed or lost attempts after which a trial is failed for good (<c>--max-attempts</c>'s default).</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>The state trial <paramref name="claim"/> is in now.</summary>
    public TrialState TrialStateOf(ClaimedTrial claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return Guard(() => Enum.Parse<TrialState>((string)Scalar(Connection, "SELECT state FROM sweep_trials WHERE sweep = @sweep AND trial_key = @key",
            ("@sweep", claim.Sweep), ("@key", claim.Trial.Key))!, ignoreCase: true));
    }

    private const string TrialColumns = "sweep, idx, trial_key, cell, seed, spec, attempts, state, run_id, last_error, worker";

    /// <summary>
    /// Claims the next queued trial (lowest index first) of <paramref name="sweep"/>, or of any sweep
    /// when null, for slot <paramref name="worker"/>: it becomes running with a lease of
    /// <paramref name="lease"/> and a new attempt. Null when nothing is claimable. A slot that
    /// already holds a trial (its last claim committed but the answer was lost) gets that one back.
    /// </summary>
    public ClaimedTrial? ClaimNext(string? sweep, string worker, string host, TimeSpan lease)
    {
        string runId = Ulid.New();
        return Guard(() =>
        {
            using var transaction = _dialect.BeginWrite(Connection);
            if (Held(worker) is { } held)
                return held;
            string only = sweep is null ? string.Empty : "AND sweep = @sweep";
            var next = ReadClaimable(
                $"SELECT {TrialColumns} FROM sweep_trials WHERE state IN ('queued', 'interrupted') {only} ORDER BY idx, sweep, trial_key LIMIT 1 {_dialect.ClaimLock}",
                SweepParameter(sweep));
            if (next is null)
                return null;
            var (name, trial) = next.Value;
            Run(Connection,
                $"""
                UPDATE sweep_trials SET state = 'running', attempts = attempts + 1, worker = @worker, lease_until = {_dialect.NowPlus("@lease")}, updated = {_dialect.Now}
                WHERE sweep = @sweep AND trial_key = @key AND state IN ('queued', 'interrupted')
                """,
                ("@worker", worker), ("@lease", lease.TotalSeconds), ("@sweep", name), ("@key", trial.Key));
            int attempt = trial.Attempts + 1;
            InsertAttempt(name, trial.Key, attempt, worker, host, runId);
            transaction.Commit();
            return new ClaimedTrial(name, trial with { State = TrialState.Running, Attempts = attempt, Worker = worker }, attempt, worker, runId);
        });
    }

    /// <summary>Extends the lease of <paramref name="claim"/> by <paramref name="lease"/> from now; false when it was lost (expired, re-queued or taken over).</summary>
    public bool RenewLease(ClaimedTrial claim, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return Guard(() => Run(Connection,
            $"""
            UPDATE sweep_trials SET lease_until = {_dialect.NowPlus("@lease")}
            WHERE sweep = @sweep AND trial_key = @key AND attempts = @attempt AND worker = @worker AND state = 'running' AND lease_until >= {_dialect.Now}
            """,
            ("@lease", lease.TotalSeconds), ("@sweep", claim.Sweep), ("@key", claim.Trial.Key), ("@attempt", claim.Attempt), ("@worker", claim.Worker)) == 1);
    }

    /// <summary>
    /// Puts every running trial whose lease has lapsed back in the queue; its attempt becomes
    /// <c>lost</c>, and its run, when that is still recorded as running, interrupted, with a message
    /// naming the worker. A trial whose lost and failed attempts reach <paramref name="maxAttempts"/>
    /// is failed instead: one that kills every worker that runs it (out of memory, say) is given up,
    /// not retried for ever. Returns how many it re-queued or failed.
    /// </summary>
    public int RequeueExpired(int maxAttempts = DefaultMaxAttempts)
    {
        var expired = Guard(() => ReadExpired());
        if (expired.Count == 0)
            return 0;
        return Guard(() =>
        {
            using var transaction = _dialect.BeginWrite(Connection);
            int requeued = 0;
            foreach (var (sweep, key, attempt, worker, runId) in ReadExpired())
            {
                bool giveUp = Unsuccessful(sweep, key) + 1 >= maxAttempts;
                string message = $"the lease of worker {worker} lapsed (it stopped renewing it: killed, or cut off from the store); " +
                    (giveUp ? $"the trial failed: {maxAttempts} attempts were lost or failed" : "the trial was queued again");
                if (Run(Connection,
                        $"""
                        UPDATE sweep_trials SET state = @state, lease_until = NULL, last_error = @error, updated = {_dialect.Now},
                               finished = CASE WHEN @state = 'failed' THEN {_dialect.Now} ELSE NULL END
                        WHERE sweep = @sweep AND trial_key = @key AND attempts = @attempt AND state = 'running' AND lease_until < {_dialect.Now}
                        """,
                        ("@state", giveUp ? "failed" : "queued"), ("@error", message), ("@sweep", sweep), ("@key", key), ("@attempt", attempt)) != 1)
                    continue;
                EndAttempt(sweep, key, attempt, "lost", message, runId);
                InterruptRun(runId, message);
                requeued++;
            }

            transaction.Commit();
            return requeued;
        });
    }

    /// <summary>
    /// Ends <paramref name="claim"/> with its run <paramref name="runId"/>: done (the trial is done),
    /// or failed (the trial is queued again until it has had <paramref name="maxAttempts"/>
    /// attempts, then failed; each attempt keeps its error). True when this attempt's end is
    /// recorded (now, or by an earlier try whose answer was lost); false when its lease was lost,
    /// and then nothing is changed: another attempt owns the trial.
    /// </summary>
    public bool FinishAttempt(ClaimedTrial claim, bool done, string runId, string? error, int maxAttempts)
    {
        ArgumentNullException.ThrowIfNull(claim);
        string state = done ? "done" : "failed";
        return Guard(() =>
        {
            using var transaction = _dialect.BeginWrite(Connection);
            string set = done
                ? $"state = 'done', last_error = NULL, finished = {_dialect.Now}"
                : $"state = CASE WHEN {UnsuccessfulSql} + 1 >= @max THEN 'failed' ELSE 'queued' END, last_error = @error, " +
                  $"finished = CASE WHEN {UnsuccessfulSql} + 1 >= @max THEN {_dialect.Now} ELSE NULL END";
            int changed = Run(Connection,
                $"""
                UPDATE sweep_trials SET {set}, run_id = @run, lease_until = NULL, updated = {_dialect.Now}
                WHERE sweep = @sweep AND trial_key = @key AND attempts = @attempt AND worker = @worker AND state = 'running'
                """,
                ("@max", maxAttempts), ("@error", error), ("@run", runId), ("@sweep", claim.Sweep), ("@key", claim.Trial.Key),
                ("@attempt", claim.Attempt), ("@worker", claim.Worker));
            if (changed == 0)
                return AttemptState(claim) == state;
            EndAttempt(claim.Sweep, claim.Trial.Key, claim.Attempt, state, error, runId);
            Run(Connection, $"UPDATE sweeps SET updated = {_dialect.Now} WHERE name = @sweep", ("@sweep", claim.Sweep));
            transaction.Commit();
            return true;
        });
    }

    /// <summary>
    /// Gives <paramref name="claim"/> back (its worker is stopping): the trial is queued again at once,
    /// the attempt and its run interrupted with <paramref name="reason"/>. False when the lease was already lost.
    /// </summary>
    public bool GiveBack(ClaimedTrial claim, string reason)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return Guard(() =>
        {
            using var transaction = _dialect.BeginWrite(Connection);
            if (Run(Connection,
                    $"""
                    UPDATE sweep_trials SET state = 'queued', lease_until = NULL, updated = {_dialect.Now}
                    WHERE sweep = @sweep AND trial_key = @key AND attempts = @attempt AND worker = @worker AND state = 'running'
                    """,
                    ("@sweep", claim.Sweep), ("@key", claim.Trial.Key), ("@attempt", claim.Attempt), ("@worker", claim.Worker)) == 0)
                return AttemptState(claim) == "interrupted";
            EndAttempt(claim.Sweep, claim.Trial.Key, claim.Attempt, "interrupted", reason, claim.RunId);
            InterruptRun(claim.RunId, reason);
            transaction.Commit();
            return true;
        });
    }

    /// <summary>Records run <paramref name="runId"/> as interrupted with <paramref name="reason"/> (a lost lease whose training finished anyway, a trial given back), keeping the reason an interrupted run already has.</summary>
    public void MarkRunInterrupted(string runId, string reason) => Guard(() =>
        Run(Connection, "UPDATE runs SET status = 'interrupted', error = @error WHERE id = @id AND (status <> 'interrupted' OR error IS NULL)", ("@id", runId), ("@error", reason)));

    /// <summary>Queues the failed and interrupted trials of <paramref name="sweep"/> again; returns how many trials are now queued.</summary>
    public int RequeueTrials(string sweep) => Guard(() =>
    {
        using var transaction = _dialect.BeginWrite(Connection);
        Run(Connection, $"UPDATE sweep_trials SET state = 'queued', updated = {_dialect.Now} WHERE sweep = @sweep AND state IN ('failed', 'interrupted')", ("@sweep", sweep));
        int queued = Convert.ToInt32(Scalar(Connection, "SELECT count(*) FROM sweep_trials WHERE sweep = @sweep AND state = 'queued'", ("@sweep", sweep)),
            System.Globalization.CultureInfo.InvariantCulture);
        transaction.Commit();
        return queued;
    });

    /// <summary>Whether run <paramref name="id"/> is stored (a retried save finds it there).</summary>
    public bool RunExists(string id) => Guard(() => Scalar(Connection, "SELECT 1 FROM runs WHERE id = @id", ("@id", id)) is not null);

    /// <summary>Whether trials of <paramref name="sweep"/> (any sweep when null) are queued or running anywhere: a worker with nothing to claim waits for them.</summary>
    public bool HasPendingTrials(string? sweep) => Guard(() =>
    {
        string only = sweep is null ? string.Empty : "AND sweep = @sweep";
        return Scalar(Connection, $"SELECT 1 FROM sweep_trials WHERE state IN ('queued', 'running', 'interrupted') {only} LIMIT 1", SweepParameter(sweep)) is not null;
    });

    // Only a parameter the SQL names: PostgreSQL cannot type one it never sees.
    private static (string Name, object? Value)[] SweepParameter(string? sweep) => sweep is null ? [] : [("@sweep", sweep)];

    // The trial this slot holds, inside the claim's transaction.
    private ClaimedTrial? Held(string worker)
    {
        var held = ReadClaimable($"SELECT {TrialColumns} FROM sweep_trials WHERE worker = @worker AND state = 'running' AND lease_until IS NOT NULL", ("@worker", worker));
        if (held is null)
            return null;
        var (sweep, trial) = held.Value;
        string? runId = Scalar(Connection, "SELECT run_id FROM trial_attempts WHERE sweep = @sweep AND trial_key = @key AND attempt = @attempt",
            ("@sweep", sweep), ("@key", trial.Key), ("@attempt", trial.Attempts)) as string;
        return new ClaimedTrial(sweep, trial, trial.Attempts, worker, runId ?? Ulid.New());
    }

    private (string Sweep, StoredTrial Trial)? ReadClaimable(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
            return null;
        var trial = new StoredTrial(Int(reader, 1), reader.GetString(2), reader.GetString(3), Int(reader, 4), reader.GetString(5),
            Enum.Parse<TrialState>(reader.GetString(7), ignoreCase: true), Text(reader, 8), Int(reader, 6), Text(reader, 9), Text(reader, 10));
        return (reader.GetString(0), trial);
    }

    private List<(string Sweep, string Key, int Attempt, string Worker, string? RunId)> ReadExpired()
    {
        using var command = Command(
            $"""
            SELECT t.sweep, t.trial_key, t.attempts, coalesce(t.worker, '?'), a.run_id FROM sweep_trials t
            LEFT JOIN trial_attempts a ON a.sweep = t.sweep AND a.trial_key = t.trial_key AND a.attempt = t.attempts
            WHERE t.state = 'running' AND t.lease_until IS NOT NULL AND t.lease_until < {_dialect.Now}
            """);
        using var reader = command.ExecuteReader();
        var expired = new List<(string, string, int, string, string?)>();
        while (reader.Read())
            expired.Add((reader.GetString(0), reader.GetString(1), Int(reader, 2), reader.GetString(3), Text(reader, 4)));
        return expired;
    }

    // Attempts that count towards the limit: failures and lost leases; a give-back (SIGTERM, a
    // preempted batch job) does not, as the trial itself did nothing wrong.
    private const string UnsuccessfulSql =
        "(SELECT count(*) FROM trial_attempts a WHERE a.sweep = @sweep AND a.trial_key = @key AND a.state IN ('failed', 'lost'))";

    private int Unsuccessful(string sweep, string key) =>
        Convert.ToInt32(Scalar(Connection, "SELECT count(*) FROM trial_attempts a WHERE a.sweep = @sweep AND a.trial_key = @key AND a.state IN ('failed', 'lost')",
            ("@sweep", sweep), ("@key", key)), System.Globalization.CultureInfo.InvariantCulture);

    private void InsertAttempt(string sweep, string key, int attempt, string worker, string host, string? runId) => Run(Connection,
        $"INSERT INTO trial_attempts (sweep, trial_key, attempt, worker, host, run_id, state, started) VALUES (@sweep, @key, @attempt, @worker, @host, @run, 'running', {_dialect.Now})",
        ("@sweep", sweep), ("@key", key), ("@attempt", attempt), ("@worker", worker), ("@host", host), ("@run", runId));

    private void EndAttempt(string sweep, string key, int attempt, string state, string? error, string? runId) => Run(Connection,
        $"""
        UPDATE trial_attempts SET state = @state, error = @error, run_id = coalesce(@run, run_id), ended = {_dialect.Now}
        WHERE sweep = @sweep AND trial_key = @key AND attempt = @attempt AND state = 'running'
        """,
        ("@state", state), ("@error", error), ("@run", runId), ("@sweep", sweep), ("@key", key), ("@attempt", attempt));

    private void InterruptRun(string? runId, string reason)
    {
        if (runId is null)
            return;
        Run(Connection,
            "UPDATE runs SET status = 'interrupted', error = @error, ended = coalesce(heartbeat, started), steps = (SELECT count(*) FROM steps WHERE run_id = @id) WHERE id = @id AND status = 'running'",
            ("@id", runId), ("@error", reason));
    }

    private string? AttemptState(ClaimedTrial claim) => Scalar(Connection,
        "SELECT state FROM trial_attempts WHERE sweep = @sweep AND trial_key = @key AND attempt = @attempt AND worker = @worker",
        ("@sweep", claim.Sweep), ("@key", claim.Trial.Key), ("@attempt", claim.Attempt), ("@worker", claim.Worker)) as string;
}
