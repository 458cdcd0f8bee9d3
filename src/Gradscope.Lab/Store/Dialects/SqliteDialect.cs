using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Gradscope.Lab.Store.Dialects;

/// <summary>A run store in one SQLite file in WAL mode: readers never block writers, and several processes of one machine write it.</summary>
internal sealed class SqliteDialect : StoreDialect
{
    public static readonly SqliteDialect Instance = new();

    // Bytes per database page of a new store.
    private const int PageSize = 32768;

    public override StoreKind Kind => StoreKind.Sqlite;

    public override string? MigrationSuffix => null;

    public override string Now => "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

    public override string NowPlus(string secondsParameter) => $"strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || {secondsParameter} || ' seconds')";

    public override string ClaimLock => string.Empty;

    public override string TagList => "group_concat(tag, char(10))";

    public override DbConnection Connect(StoreLocation location, int busyTimeoutMs)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = location.Target,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = Math.Max(1, busyTimeoutMs / 1000),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {busyTimeoutMs}");
            // Only a new, empty file takes it. A step row is 1.8 KB and up: 32 KB pages hold many, so
            // the writer and its checkpoints write far fewer pages than with 4 KB (half the CPU per step).
            Execute(connection, $"PRAGMA page_size = {PageSize}");
            // WAL needs a write lock to switch on; a store already in WAL answers at once.
            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, "PRAGMA synchronous = NORMAL");
            Execute(connection, "PRAGMA foreign_keys = ON");
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw Explain(ex, location.Display)!;
        }
    }

    public override DbConnection ConnectReader(StoreLocation location)
    {
        var connection = new SqliteConnection(ReaderString(location));
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 5000");
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new StoreException($"cannot read the run store '{location.Display}' ({ex.Message.TrimEnd('.')}).", ex);
        }
    }

    public override void ClearPool(StoreLocation location)
    {
        using var pooled = new SqliteConnection(ReaderString(location));
        SqliteConnection.ClearPool(pooled);
    }

    public override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    // A deferred transaction in WAL mode reads one snapshot from its first read on.
    public override DbTransaction BeginSnapshot(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: true);

    // BEGIN IMMEDIATE already serializes writers, migrations included.
    public override void LockForMigration(DbConnection connection)
    {
    }

    public override IStepSink StepSink(DbConnection connection, string runId) => new SqliteStepSink((SqliteConnection)connection, runId);

    public override StoreException? Explain(Exception ex, string display) => ex is not SqliteException sqlite ? null : sqlite.SqliteErrorCode switch
    {
        // SQLITE_BUSY, SQLITE_LOCKED
        5 or 6 => new StoreException($"run store '{display}' is locked by another process (waited {BusyTimeoutMs / 1000} s); try again when it finishes.", ex),
        // SQLITE_CORRUPT, SQLITE_NOTADB
        11 or 26 => new StoreException($"run store '{display}' is not a SQLite database or is corrupt ({ex.Message.TrimEnd('.')}); move it away or name another with --store.", ex),
        // SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_FULL, SQLITE_PERM
        8 or 14 or 10 or 13 or 3 => new StoreException($"cannot write the run store '{display}' ({ex.Message.TrimEnd('.')}); name a writable file with --store or GRADSCOPE_STORE.", ex),
        _ => new StoreException($"run store '{display}': {ex.Message.TrimEnd('.')}.", ex),
    };

    public override bool IsTransient(Exception ex) => ex is SqliteException { SqliteErrorCode: 5 or 6 };

    private static string ReaderString(StoreLocation location) =>
        new SqliteConnectionStringBuilder { DataSource = location.Target, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
