using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Gradscope.Lab.Store;

/// <summary>
/// The run store: one SQLite file (<c>gradscope.db</c> by default) in WAL mode, so readers never
/// block the writers and several processes can record into it at once. The schema is a series of
/// numbered SQL migrations (embedded resources <c>Migrations/NNN_*.sql</c>) applied in order on
/// open, recorded in <c>schema_version</c>. Not thread-safe: each thread opens its own.
/// </summary>
public sealed partial class RunStore : IDisposable
{
    /// <summary>The file name used when neither <c>--store</c> nor <c>GRADSCOPE_STORE</c> names one.</summary>
    public const string DefaultFileName = "gradscope.db";

    /// <summary>The environment variable that names the store.</summary>
    public const string EnvironmentVariable = "GRADSCOPE_STORE";

    // How long a statement waits for another process's write lock before giving up.
    private const int BusyTimeoutMs = 10_000;

    // Bytes per database page of a new store.
    private const int PageSize = 32768;

    private readonly SqliteConnection _connection;

    private RunStore(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The schema version this Gradscope writes (the highest migration).</summary>
    public static int LatestVersion => Migrations().Count;

    /// <summary>The store a command uses: <paramref name="option"/> (<c>--store</c>), else <c>GRADSCOPE_STORE</c>, else <c>gradscope.db</c> in the working directory.</summary>
    public static string ResolvePath(string? option)
    {
        if (!string.IsNullOrEmpty(option))
            return option;
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrEmpty(fromEnvironment) ? DefaultFileName : fromEnvironment;
    }

    /// <summary>Opens the store at <paramref name="path"/>, creating it and bringing its schema up to date.</summary>
    /// <exception cref="StoreException">It cannot be created, opened or migrated; the message names the file.</exception>
    public static RunStore Open(string path) => Open(path, LatestVersion);

    /// <summary>Opens the store, migrating it no further than <paramref name="version"/> (tests build old stores with it).</summary>
    internal static RunStore Open(string path, int version, int busyTimeoutMs = BusyTimeoutMs)
    {
        var connection = Connect(path, busyTimeoutMs);
        try
        {
            Migrate(connection, path, version);
            return new RunStore(path, connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The schema version of the open store.</summary>
    public int Version => (int)(long)Scalar(_connection, "SELECT version FROM schema_version")!;

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    /// <summary>A new connection to <paramref name="path"/> with WAL, foreign keys and the busy timeout set.</summary>
    internal static SqliteConnection Connect(string path, int busyTimeoutMs = BusyTimeoutMs)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
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
            throw Explain(ex, path);
        }
    }

    /// <summary>The <see cref="StoreException"/> that says what <paramref name="ex"/> means for the store at <paramref name="path"/>.</summary>
    internal static StoreException Explain(SqliteException ex, string path) => ex.SqliteErrorCode switch
    {
        // SQLITE_BUSY, SQLITE_LOCKED
        5 or 6 => new StoreException($"run store '{path}' is locked by another process (waited {BusyTimeoutMs / 1000} s); try again when it finishes.", ex),
        // SQLITE_CORRUPT, SQLITE_NOTADB
        11 or 26 => new StoreException($"run store '{path}' is not a SQLite database or is corrupt ({ex.Message.TrimEnd('.')}); move it away or name another with --store.", ex),
        // SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_FULL, SQLITE_PERM
        8 or 14 or 10 or 13 or 3 => new StoreException($"cannot write the run store '{path}' ({ex.Message.TrimEnd('.')}); name a writable file with --store or GRADSCOPE_STORE.", ex),
        _ => new StoreException($"run store '{path}': {ex.Message.TrimEnd('.')}.", ex),
    };

    private static void Migrate(SqliteConnection connection, string path, int target)
    {
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            object? current = Scalar(connection, "SELECT version FROM schema_version");
            int version = current is null ? 0 : (int)(long)current;
            if (current is null)
                Execute(connection, "INSERT INTO schema_version (version) VALUES (0)");
            var migrations = Migrations();
            if (version > migrations.Count)
                throw new StoreException($"run store '{path}' has schema version {version}, written by a newer Gradscope (this one knows {migrations.Count}); upgrade Gradscope or use another store.");
            for (int v = version; v < Math.Min(target, migrations.Count); v++)
            {
                Execute(connection, migrations[v]);
                Execute(connection, $"UPDATE schema_version SET version = {v + 1}");
            }

            transaction.Commit();
        }
        catch (SqliteException ex)
        {
            throw Explain(ex, path);
        }
    }

    // The embedded Migrations/NNN_*.sql files, in number order.
    private static List<string> Migrations()
    {
        var assembly = typeof(RunStore).Assembly;
        var names = new List<string>();
        foreach (string name in assembly.GetManifestResourceNames())
        {
            if (name.Contains(".Store.Migrations.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
                names.Add(name);
        }

        names.Sort(StringComparer.Ordinal);
        var scripts = new List<string>(names.Count);
        foreach (string name in names)
            scripts.Add(ReadResource(assembly, name));
        return scripts;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>An instant as the store writes it: ISO-8601 UTC with milliseconds, so text order is time order.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
