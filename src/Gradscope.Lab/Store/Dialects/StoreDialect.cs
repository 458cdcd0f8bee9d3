using System.Data.Common;

namespace Gradscope.Lab.Store.Dialects;

/// <summary>
/// What differs between the two databases a run store can live in (SQLite, PostgreSQL): how to
/// connect, begin a write, read the database's clock, insert step rows fast and explain an error.
/// Everything else, the schema's meaning and every other statement, is shared.
/// </summary>
internal abstract class StoreDialect
{
    /// <summary>How long a statement waits for another writer before giving up.</summary>
    public const int BusyTimeoutMs = 10_000;

    /// <summary>The dialect of <paramref name="kind"/>.</summary>
    public static StoreDialect For(StoreKind kind) => kind == StoreKind.Postgres ? PostgresDialect.Instance : SqliteDialect.Instance;

    /// <summary>Which database.</summary>
    public abstract StoreKind Kind { get; }

    /// <summary>
    /// The file name ending of a migration written for this database only (<c>.postgres.sql</c>);
    /// a migration without one is shared.
    /// </summary>
    public abstract string? MigrationSuffix { get; }

    /// <summary>SQL that evaluates to the database's clock as the store writes instants (<see cref="RunStore.Timestamp"/>).</summary>
    public abstract string Now { get; }

    /// <summary>SQL for the database's clock plus <paramref name="secondsParameter"/> seconds, as store text: a lease's end.</summary>
    public abstract string NowPlus(string secondsParameter);

    /// <summary>
    /// What ends a SELECT that picks a queued row to claim: PostgreSQL locks the row and skips rows
    /// other workers hold (<c>FOR UPDATE SKIP LOCKED</c>); SQLite needs nothing, its write
    /// transaction already serializes every writer.
    /// </summary>
    public abstract string ClaimLock { get; }

    /// <summary>SQL aggregate of <c>run_tags.tag</c> joined by newlines.</summary>
    public abstract string TagList { get; }

    /// <summary>An open connection to <paramref name="location"/>.</summary>
    /// <exception cref="StoreException">It cannot be reached or opened.</exception>
    public abstract DbConnection Connect(StoreLocation location, int busyTimeoutMs);

    /// <summary>An open read-only connection for a reader beside the writers (the dashboard).</summary>
    public abstract DbConnection ConnectReader(StoreLocation location);

    /// <summary>Releases pooled connections to <paramref name="location"/> (the server, when it stops).</summary>
    public abstract void ClearPool(StoreLocation location);

    /// <summary>Begins a write transaction that holds its write lock from the start.</summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>Begins a read-only transaction in which every statement sees the same snapshot of the store.</summary>
    public abstract DbTransaction BeginSnapshot(DbConnection connection);

    /// <summary>Serializes migrations between processes that open the same store at once (inside the migration's transaction).</summary>
    public abstract void LockForMigration(DbConnection connection);

    /// <summary>A prepared step-row insert for run <paramref name="runId"/> inside the connection's open transaction.</summary>
    public abstract IStepSink StepSink(DbConnection connection, string runId);

    /// <summary>The store exception that explains <paramref name="ex"/>, or null when it is not this database's error.</summary>
    public abstract StoreException? Explain(Exception ex, string display);

    /// <summary>True when <paramref name="ex"/> may pass if the same work is tried again later (the server restarting, a dropped connection).</summary>
    public abstract bool IsTransient(Exception ex);
}

/// <summary>Inserts one run's step rows (statistics BLOBs) in index order within a transaction.</summary>
internal interface IStepSink : IDisposable
{
    /// <summary>Adds one step row.</summary>
    void Insert(int index, int stepNumber, double loss, double learningRate, double wallSeconds, ReadOnlySpan<byte> stats);

    /// <summary>Ends the batch so that other statements can run on the connection (PostgreSQL's COPY holds it).</summary>
    void Complete();
}
