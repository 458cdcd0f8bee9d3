using System.Data.Common;
using System.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Sweeps;

namespace Gradscope.Lab.Store;

public sealed partial class RunStore
{
    /// <summary>The tag of a sweep's trial runs: <c>sweep:NAME</c>.</summary>
    public static string SweepTag(string sweep) => "sweep:" + sweep;

    /// <summary>
    /// Records <paramref name="definition"/> under its name with <paramref name="trials"/> queued:
    /// a new sweep, or more trials for an existing one (trials it has keep their state and run;
    /// their index and cell follow the new expansion).
    /// </summary>
    public void SaveSweep(SweepDefinition definition, IReadOnlyList<SweepTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(trials);
        string now = Timestamp(DateTimeOffset.UtcNow);
        var keys = new List<string>(trials.Count);
        foreach (var trial in trials)
            keys.Add(trial.Key);
        Guard(() =>
        {
            using var transaction = _dialect.BeginWrite(Connection);
            Run(Connection,
                """
                INSERT INTO sweeps (name, definition, grid_hash, created, updated) VALUES (@name, @def, @hash, @now, @now)
                ON CONFLICT (name) DO UPDATE SET definition = @def, grid_hash = @hash, updated = @now
                """,
                ("@name", definition.Name), ("@def", SweepJson.Write(definition)), ("@hash", SweepTrial.GridHash(keys)), ("@now", now));
            foreach (var trial in trials)
            {
                Run(Connection,
                    """
                    INSERT INTO sweep_trials (sweep, idx, trial_key, cell, seed, spec, state, updated) VALUES (@sweep, @idx, @key, @cell, @seed, @spec, 'queued', @now)
                    ON CONFLICT (sweep, trial_key) DO UPDATE SET idx = @idx, cell = @cell
                    """,
                    ("@sweep", definition.Name), ("@idx", trial.Index), ("@key", trial.Key), ("@cell", trial.Cell), ("@seed", trial.Seed),
                    ("@spec", RunSpecJson.Write(trial.Spec)), ("@now", now));
            }

            transaction.Commit();
        });
    }

    /// <summary>The sweep named <paramref name="name"/>, or null.</summary>
    public StoredSweep? FindSweep(string name)
    {
        var found = Guard(() => ReadSweeps("WHERE name = @name", ("@name", name)));
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Every sweep, newest first.</summary>
    public IReadOnlyList<StoredSweep> ListSweeps() => Guard(() => ReadSweeps(""));

    /// <summary>The trials of sweep <paramref name="name"/>, in index order.</summary>
    public IReadOnlyList<StoredTrial> Trials(string name) => Guard(() =>
    {
        using var command = Command(
            "SELECT idx, trial_key, cell, seed, spec, state, run_id, attempts, last_error, worker FROM sweep_trials WHERE sweep = @name ORDER BY idx, trial_key",
            ("@name", name));
        using var reader = command.ExecuteReader();
        var trials = new List<StoredTrial>();
        while (reader.Read())
        {
            trials.Add(new StoredTrial(Int(reader, 0), reader.GetString(1), reader.GetString(2), Int(reader, 3), reader.GetString(4),
                Enum.Parse<TrialState>(reader.GetString(5), ignoreCase: true), Text(reader, 6), Int(reader, 7), Text(reader, 8), Text(reader, 9)));
        }

        return trials;
    });

    /// <summary>
    /// Claims trial <paramref name="key"/> of sweep <paramref name="sweep"/> for this process when it
    /// is queued, failed or interrupted: it becomes running, its attempts count up and the attempt is
    /// recorded. False when it was not free.
    /// </summary>
    public bool ClaimTrial(string sweep, string key) => Guard(() =>
    {
        using var transaction = _dialect.BeginWrite(Connection);
        string worker = Worker();
        if (Run(Connection,
                """
                UPDATE sweep_trials SET state = 'running', attempts = attempts + 1, worker = @worker, lease_until = NULL, updated = @now
                WHERE sweep = @sweep AND trial_key = @key AND state IN ('queued', 'failed', 'interrupted')
                """,
                ("@sweep", sweep), ("@key", key), ("@worker", worker), ("@now", Timestamp(DateTimeOffset.UtcNow))) != 1)
            return false;
        int attempt = Convert.ToInt32(Scalar(Connection, "SELECT attempts FROM sweep_trials WHERE sweep = @sweep AND trial_key = @key", ("@sweep", sweep), ("@key", key)),
            System.Globalization.CultureInfo.InvariantCulture);
        InsertAttempt(sweep, key, attempt, worker, Environment.MachineName, null);
        transaction.Commit();
        return true;
    });

    /// <summary>Stores the run of an attempt at trial <paramref name="key"/> and leaves the trial in <paramref name="state"/>, in one transaction.</summary>
    public void FinishTrial(string sweep, string key, RunRecord run, TrialState state)
    {
        ArgumentNullException.ThrowIfNull(run);
        Guard(() =>
        {
            using var transaction = _dialect.BeginWrite(Connection);
            SaveRun(Connection, _dialect, run, null);
            Run(Connection,
                """
                UPDATE sweep_trials SET state = @state, run_id = @run, last_error = @error, updated = @now, finished = CASE WHEN @state = 'done' THEN @now ELSE NULL END
                WHERE sweep = @sweep AND trial_key = @key
                """,
                ("@sweep", sweep), ("@key", key), ("@state", StateName(state)), ("@run", run.Id), ("@error", run.Error),
                ("@now", Timestamp(DateTimeOffset.UtcNow)));
            int attempt = Convert.ToInt32(Scalar(Connection, "SELECT attempts FROM sweep_trials WHERE sweep = @sweep AND trial_key = @key", ("@sweep", sweep), ("@key", key)),
                System.Globalization.CultureInfo.InvariantCulture);
            EndAttempt(sweep, key, attempt, StateName(state), run.Error, run.Id);
            Run(Connection, "UPDATE sweeps SET updated = @now WHERE name = @sweep", ("@sweep", sweep), ("@now", Timestamp(DateTimeOffset.UtcNow)));
            transaction.Commit();
        });
    }

    /// <summary>
    /// Marks the running trials of sweep <paramref name="sweep"/> whose worker process on this host
    /// has ended as interrupted, so a resumed sweep runs them again. Returns how many it marked.
    /// </summary>
    public int ReleaseAbandonedTrials(string sweep) => Guard(() =>
    {
        var abandoned = new List<string>();
        foreach (var trial in Trials(sweep))
        {
            if (trial.State == TrialState.Running && !WorkerAlive(trial.Worker))
                abandoned.Add(trial.Key);
        }

        using var transaction = _dialect.BeginWrite(Connection);
        int released = 0;
        foreach (string key in abandoned)
        {
            // A leased trial belongs to a worker of the shared queue, whose lease says when it is lost.
            const string Reason = "its process ended during the trial";
            if (Run(Connection,
                    "UPDATE sweep_trials SET state = 'interrupted', last_error = @error WHERE sweep = @sweep AND trial_key = @key AND state = 'running' AND lease_until IS NULL",
                    ("@sweep", sweep), ("@key", key), ("@error", Reason)) == 0)
                continue;
            int attempt = Convert.ToInt32(Scalar(Connection, "SELECT attempts FROM sweep_trials WHERE sweep = @sweep AND trial_key = @key", ("@sweep", sweep), ("@key", key)),
                System.Globalization.CultureInfo.InvariantCulture);
            EndAttempt(sweep, key, attempt, "interrupted", Reason, null);
            released++;
        }

        transaction.Commit();
        return released;
    });

    /// <summary>The state as the store writes it: <c>queued</c>, <c>done</c>, ...</summary>
    public static string StateName(TrialState state) => state.ToString().ToLowerInvariant();

    // "host pid started": what tells a live worker from a dead one whose id was reused.
    private static string Worker() =>
        $"{Environment.MachineName} {Environment.ProcessId} {Timestamp(Process.GetCurrentProcess().StartTime.ToUniversalTime())}";

    private static bool WorkerAlive(string? worker)
    {
        var parts = worker?.Split(' ', 3);
        if (parts is not { Length: 3 })
            return false;
        if (parts[0] != Environment.MachineName)
            return true; // another host's worker: not this process's to judge
        return int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out int pid) && ProcessLiveness.IsAlive(pid, parts[2]);
    }

    private List<StoredSweep> ReadSweeps(string where, params (string Name, object? Value)[] parameters)
    {
        var sweeps = new List<StoredSweep>();
        using (var command = Command($"SELECT name, definition, grid_hash, created, updated FROM sweeps {where} ORDER BY created DESC, name", parameters))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                sweeps.Add(new StoredSweep(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    ParseTimestamp(reader.GetString(3)), ParseTimestamp(reader.GetString(4)), new int[5]));
            }
        }

        foreach (var sweep in sweeps)
        {
            using var command = Command("SELECT state, count(*) FROM sweep_trials WHERE sweep = @name GROUP BY state", ("@name", sweep.Name));
            using var reader = command.ExecuteReader();
            var counts = (int[])sweep.Counts;
            while (reader.Read())
                counts[(int)Enum.Parse<TrialState>(reader.GetString(0), ignoreCase: true)] = Int(reader, 1);
        }

        return sweeps;
    }

    private static string? Text(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
}
