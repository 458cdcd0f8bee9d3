using System.Data.Common;
using System.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store.Dialects;

namespace Gradscope.Lab.Store.Copy;

/// <summary>
/// Copies runs (row, model, tags, steps, histograms, epochs) and sweeps (definition, trials,
/// attempts) from one run store to another, SQLite or PostgreSQL either way. Each run is copied in
/// one transaction of its own, so an interrupted copy leaves whole runs only; a run or sweep the
/// target already has (same id, same name) is skipped, so copying again copies nothing twice. A
/// run still running or queued in the source is skipped and said so: copied now, it would stay
/// frozen mid-run in the target, and a later copy takes it whole once it ends. Step rows stream
/// from the source into the target's fast insert (binary COPY on PostgreSQL), one row in memory.
/// </summary>
public sealed class StoreCopy : IDisposable
{
    private readonly DbConnection _from;
    private readonly DbConnection _to;
    private readonly StoreDialect _toDialect;

    private StoreCopy(RunStore source, RunStore target)
    {
        Source = source;
        Target = target;
        _toDialect = StoreDialect.For(target.Location.Kind);
        _from = RunStore.Connect(source.Location);
        try
        {
            _to = RunStore.Connect(target.Location);
        }
        catch
        {
            _from.Dispose();
            throw;
        }
    }

    /// <summary>The store copied from.</summary>
    public RunStore Source { get; }

    /// <summary>The store copied into.</summary>
    public RunStore Target { get; }

    /// <summary>Opens both stores; the target is created (and migrated) when missing, the source must exist.</summary>
    /// <exception cref="StoreException">The source does not exist, either cannot be opened, or both name the same store.</exception>
    public static StoreCopy Open(StoreLocation from, StoreLocation to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from.IsSameStore(to))
            throw new StoreException($"'{from.Display}' and '{to.Display}' are the same store: nothing to copy.");
        if (!from.IsPostgres && !File.Exists(from.Target))
            throw new StoreException(Directory.Exists(from.Target)
                ? $"run store '{from.Display}' is a folder, not a run store: name the store's file."
                : $"run store '{from.Display}' does not exist: nothing to copy (it is not created).");
        var source = RunStore.Open(from);
        RunStore? target = null;
        try
        {
            target = RunStore.Open(to);
            return new StoreCopy(source, target);
        }
        catch
        {
            target?.Dispose();
            source.Dispose();
            throw;
        }
    }

    /// <summary>The runs of sweep <paramref name="name"/> in the source: its trials' runs and every run tagged <c>sweep:NAME</c> (lost attempts included).</summary>
    public IReadOnlyList<string> RunsOfSweep(string name)
    {
        var ids = new List<string>();
        foreach (var trial in Source.Trials(name))
        {
            if (trial.RunId is { } id && !ids.Contains(id))
                ids.Add(id);
        }

        using var command = _from.CreateCommand();
        command.CommandText = "SELECT run_id FROM run_tags WHERE tag = @key ORDER BY run_id";
        RunStore.AddParameter(command, "@key", RunStore.SweepTag(name));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (!ids.Contains(reader.GetString(0)))
                ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>
    /// Copies runs <paramref name="runIds"/> (null: every run) and sweeps <paramref name="sweeps"/>
    /// (null: every sweep), runs first, oldest first. A cancelled <paramref name="token"/> stops
    /// between runs (a run being copied is rolled back) and the result says so.
    /// <paramref name="onRunCopied"/> is told each run's id once it is committed.
    /// </summary>
    public StoreCopyResult Copy(IReadOnlyCollection<string>? runIds, IReadOnlyCollection<string>? sweeps, CancellationToken token, Action<string>? onRunCopied = null)
    {
        var clock = Stopwatch.StartNew();
        var rows = new RowCopier(_from, _to, _toDialect);
        var running = new List<string>();
        int copied = 0, present = 0, sweepsCopied = 0, sweepsPresent = 0, sweepsUpToDate = 0;
        long steps = 0;
        bool stopped = false;
        try
        {
            foreach (var run in RunsToCopy(runIds))
            {
                token.ThrowIfCancellationRequested();
                if (run.Record.Status is RunStatus.Running or RunStatus.Queued)
                {
                    running.Add(run.Record.Id);
                    continue;
                }

                long? stepRows = Explained(() => CopyRun(rows, run.Record.Id, token));
                if (stepRows is { } n)
                {
                    (copied, steps) = (copied + 1, steps + n);
                    onRunCopied?.Invoke(run.Record.Id);
                }
                else
                    present++;
            }

            foreach (string sweep in sweeps ?? SweepNames())
            {
                token.ThrowIfCancellationRequested();
                switch (Explained(() => CopySweep(rows, sweep)))
                {
                    case SweepCopy.New:
                        sweepsCopied++;
                        break;
                    case SweepCopy.Updated:
                        sweepsPresent++;
                        break;
                    default:
                        sweepsUpToDate++;
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            stopped = true;
        }

        return new StoreCopyResult
        {
            RunsCopied = copied,
            RunsPresent = present,
            RunsStillRunning = running,
            SweepsCopied = sweepsCopied,
            SweepsPresent = sweepsPresent,
            SweepsUpToDate = sweepsUpToDate,
            Steps = steps,
            Bytes = rows.Bytes,
            Elapsed = clock.Elapsed,
            Stopped = stopped,
        };
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _from.Dispose();
        _to.Dispose();
        Source.Dispose();
        Target.Dispose();
    }

    // Oldest first, so a store copied in pieces fills in the order it was recorded.
    private List<RunSummary> RunsToCopy(IReadOnlyCollection<string>? runIds)
    {
        // List() first marks runs of this machine whose process is gone as interrupted: they are copyable.
        var all = new List<RunSummary>(Source.List());
        all.Reverse();
        return runIds is null ? all : all.FindAll(run => runIds.Contains(run.Record.Id));
    }

    private List<string> SweepNames()
    {
        var names = new List<string>();
        foreach (var sweep in Source.ListSweeps())
            names.Add(sweep.Name);
        return names;
    }

    // The run's step count, or null when the target already has it.
    private long? CopyRun(RowCopier rows, string id, CancellationToken token)
    {
        using var transaction = _toDialect.BeginWrite(_to);
        if (Exists(_to, "SELECT count(*) FROM runs WHERE id = @key", id))
            return null;
        rows.Copy("runs", "id = @key", id);
        rows.Copy("run_tags", "run_id = @key", id);
        int steps = rows.CopySteps(id, token);
        rows.Copy("histograms", "run_id = @key", id);
        rows.Copy("epochs", "run_id = @key", id);
        transaction.Commit();
        return steps;
    }

    // True when the target had no sweep by that name. A sweep it has is brought up to date: trials
    // and attempts that moved on in the source since (later `updated`, an attempt that ended) replace
    // the target's, and nothing newer in the target is overwritten, so copying back and forth
    // between a laptop and the shared store converges. A trial whose run the target lacks (still
    // running in the source) keeps its row without the run, as a deleted run leaves it.
    private SweepCopy CopySweep(RowCopier rows, string name)
    {
        using var transaction = _toDialect.BeginWrite(_to);
        bool existed = Exists(_to, "SELECT count(*) FROM sweeps WHERE name = @key", name);
        int written = rows.Copy("sweeps", "name = @key", name, upsert: new Upsert(["name"], "sweeps.updated < excluded.updated"));
        written += rows.Copy("sweep_trials", "sweep = @key", name,
            (column, value) => column != "run_id" || Exists(_to, "SELECT count(*) FROM runs WHERE id = @key", value),
            new Upsert(["sweep", "trial_key"], "sweep_trials.updated < excluded.updated"));
        if (HasTable(_from, Source.Location.Kind, "trial_attempts") && HasTable(_to, Target.Location.Kind, "trial_attempts"))
        {
            written += rows.Copy("trial_attempts", "sweep = @key", name,
                upsert: new Upsert(["sweep", "trial_key", "attempt"], "trial_attempts.ended IS NULL AND excluded.ended IS NOT NULL"));
        }

        transaction.Commit();
        return !existed ? SweepCopy.New : written > 0 ? SweepCopy.Updated : SweepCopy.UpToDate;
    }

    // A database error of either store becomes a message that names the store.
    private T Explained<T>(Func<T> copy)
    {
        try
        {
            return copy();
        }
        catch (Exception ex) when (RunStore.Explain(ex, Target.Location) is { } explained)
        {
            throw explained;
        }
        catch (Exception ex) when (RunStore.Explain(ex, Source.Location) is { } explained)
        {
            throw explained;
        }
    }

    private static bool Exists(DbConnection connection, string countSql, object key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = countSql;
        RunStore.AddParameter(command, "@key", key);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    // Migration 005 added trial_attempts; a store of either kind at another version may lack it.
    private static bool HasTable(DbConnection connection, StoreKind kind, string table) => Exists(connection,
        kind == StoreKind.Postgres
            ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @key"
            : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @key",
        table);
}

/// <summary>What copying one sweep did to the target.</summary>
internal enum SweepCopy
{
    /// <summary>The target had no sweep by that name.</summary>
    New,

    /// <summary>The target's sweep was brought up to date.</summary>
    Updated,

    /// <summary>The target's sweep was already as new: nothing written.</summary>
    UpToDate,
}
