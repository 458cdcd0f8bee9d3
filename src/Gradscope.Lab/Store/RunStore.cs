using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Gradscope.Lab.Store.Dialects;

namespace Gradscope.Lab.Store;

/// <summary>
/// The run store: one SQLite file (<c>gradscope.db</c> by default) in WAL mode, so readers never
/// block the writers and several processes can record into it at once, or a PostgreSQL database
/// (<c>postgres://user@host/db</c>) that many machines share. The schema is a series of numbered
/// SQL migrations (embedded resources <c>Migrations/NNN_*.sql</c>, with a <c>NNN_*.postgres.sql</c>
/// beside one where PostgreSQL needs other SQL) applied in order on open, recorded in
/// <c>schema_version</c>. Not thread-safe: each thread opens its own.
/// </summary>
public sealed partial class RunStore : IDisposable
{
    /// <summary>The file name used when neither <c>--store</c> nor <c>GRADSCOPE_STORE</c> names one.</summary>
    public const string DefaultFileName = "gradscope.db";

    /// <summary>The environment variable that names the store.</summary>
    public const string EnvironmentVariable = "GRADSCOPE_STORE";

    private readonly StoreConnection _db;
    private readonly StoreDialect _dialect;

    private RunStore(StoreLocation location, DbConnection connection)
    {
        Location = location;
        _dialect = StoreDialect.For(location.Kind);
        _db = new StoreConnection(location, connection);
    }

    /// <summary>The open connection; a new one after a transient failure was retried.</summary>
    private DbConnection Connection => _db.Current;

    /// <summary>How long each operation keeps being retried when the database is unreachable (workers); zero fails at once.</summary>
    internal TimeSpan RetryBudget
    {
        get => _db.RetryBudget;
        set => _db.RetryBudget = value;
    }

    /// <summary>Told about each retry (a worker prints it).</summary>
    internal Action<string>? OnRetry
    {
        get => _db.OnRetry;
        set => _db.OnRetry = value;
    }

    /// <summary>Where the store lives.</summary>
    public StoreLocation Location { get; }

    /// <summary>The store as messages name it: the file, or the PostgreSQL URL without its password.</summary>
    public string Path => Location.Display;

    /// <summary>The schema version this Gradscope writes (the highest migration).</summary>
    public static int LatestVersion { get; } = Migrations(SqliteDialect.Instance).Count;

    /// <summary>The store a command uses: <paramref name="option"/> (<c>--store</c>), else <c>GRADSCOPE_STORE</c>, else <c>gradscope.db</c> in the working directory.</summary>
    public static string ResolvePath(string? option)
    {
        if (!string.IsNullOrEmpty(option))
            return option;
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrEmpty(fromEnvironment) ? DefaultFileName : fromEnvironment;
    }

    /// <summary>Opens the store named <paramref name="path"/> (a file or a PostgreSQL URL), creating it and bringing its schema up to date.</summary>
    /// <exception cref="StoreException">It cannot be created, opened or migrated; the message names the store.</exception>
    public static RunStore Open(string path) => Open(StoreLocation.Parse(path), LatestVersion);

    /// <summary>Opens the store at <paramref name="location"/>, creating it and bringing its schema up to date.</summary>
    public static RunStore Open(StoreLocation location) => Open(location, LatestVersion);

    /// <summary>
    /// Opens the store at <paramref name="location"/> with <paramref name="retryBudget"/> set, the
    /// opening itself retried as long while the database is unreachable (workers).
    /// </summary>
    internal static RunStore Open(StoreLocation location, TimeSpan retryBudget, Action<string>? onRetry)
    {
        var store = StoreConnection.Retrying(location, retryBudget, onRetry, () => Open(location));
        store.RetryBudget = retryBudget;
        store.OnRetry = onRetry;
        return store;
    }

    /// <summary>Opens the store, migrating it no further than <paramref name="version"/> (tests build old stores with it).</summary>
    internal static RunStore Open(string path, int version, int busyTimeoutMs = StoreDialect.BusyTimeoutMs) =>
        Open(StoreLocation.Parse(path), version, busyTimeoutMs);

    internal static RunStore Open(StoreLocation location, int version, int busyTimeoutMs = StoreDialect.BusyTimeoutMs)
    {
        var dialect = StoreDialect.For(location.Kind);
        var connection = dialect.Connect(location, busyTimeoutMs);
        try
        {
            Migrate(connection, dialect, location.Display, version);
            return new RunStore(location, connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The schema version of the open store.</summary>
    public int Version => Convert.ToInt32(Scalar(Connection, "SELECT version FROM schema_version"), CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public void Dispose() => _db.Dispose();

    /// <summary>A new connection to the store named <paramref name="path"/> (SQLite: WAL, foreign keys and the busy timeout set).</summary>
    internal static DbConnection Connect(string path, int busyTimeoutMs = StoreDialect.BusyTimeoutMs) => Connect(StoreLocation.Parse(path), busyTimeoutMs);

    internal static DbConnection Connect(StoreLocation location, int busyTimeoutMs = StoreDialect.BusyTimeoutMs) =>
        StoreDialect.For(location.Kind).Connect(location, busyTimeoutMs);

    /// <summary>The <see cref="StoreException"/> that says what <paramref name="ex"/> means for the store at <paramref name="location"/>, or null when it is no database error.</summary>
    internal static StoreException? Explain(Exception ex, StoreLocation location) => StoreDialect.For(location.Kind).Explain(ex, location.Display);

    private static void Migrate(DbConnection connection, StoreDialect dialect, string display, int target)
    {
        if (target == LatestVersion && IsCurrent(connection, dialect, display))
            return;
        try
        {
            using var transaction = dialect.BeginWrite(connection);
            dialect.LockForMigration(connection);
            Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            object? current = Scalar(connection, "SELECT version FROM schema_version");
            int version = current is null ? 0 : Convert.ToInt32(current, CultureInfo.InvariantCulture);
            if (current is null)
                Execute(connection, "INSERT INTO schema_version (version) VALUES (0)");
            var migrations = Migrations(dialect);
            if (version > migrations.Count)
                throw new StoreException($"run store '{display}' has schema version {version}, written by a newer Gradscope (this one knows {migrations.Count}); upgrade Gradscope or use another store.");
            for (int v = version; v < Math.Min(target, migrations.Count); v++)
            {
                Execute(connection, migrations[v]);
                Execute(connection, $"UPDATE schema_version SET version = {v + 1}");
            }

            transaction.Commit();
        }
        catch (DbException ex)
        {
            throw dialect.Explain(ex, display) ?? new StoreException($"run store '{display}': {ex.Message}", ex);
        }
    }

    // A store already at this Gradscope's version needs no write lock to say so: workers open the
    // store for every trial, and the migration's lock and statements were part of each trial's cost.
    private static bool IsCurrent(DbConnection connection, StoreDialect dialect, string display)
    {
        try
        {
            return Scalar(connection, "SELECT version FROM schema_version") is { } version
                && Convert.ToInt32(version, CultureInfo.InvariantCulture) == LatestVersion;
        }
        catch (DbException ex) when (!dialect.IsTransient(ex) && connection.State == System.Data.ConnectionState.Open)
        {
            return false; // no schema_version yet: a new store
        }
        catch (DbException ex)
        {
            // A lost connection (a restarting server) is not a new store: say so, and let a retrying caller retry.
            throw dialect.Explain(ex, display) ?? new StoreException($"run store '{display}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The migrations of <paramref name="dialect"/>, in number order: each <c>NNN_name.sql</c>, or
    /// its <c>NNN_name.postgres.sql</c> where the dialect has its own.
    /// </summary>
    internal static List<string> Migrations(StoreDialect dialect)
    {
        var assembly = typeof(RunStore).Assembly;
        var shared = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var own = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames())
        {
            if (!name.Contains(".Store.Migrations.", StringComparison.Ordinal) || !name.EndsWith(".sql", StringComparison.Ordinal))
                continue;
            string file = name[(name.IndexOf(".Store.Migrations.", StringComparison.Ordinal) + ".Store.Migrations.".Length)..];
            int dot = file.IndexOf('.', StringComparison.Ordinal);
            string number = file[..Math.Min(3, file.Length)];
            string suffix = file[dot..];
            if (suffix == ".sql")
                shared[number] = name;
            else if (suffix == dialect.MigrationSuffix)
                own[number] = name;
        }

        var scripts = new List<string>(shared.Count);
        foreach (var (number, name) in shared)
            scripts.Add(ReadResource(assembly, own.TryGetValue(number, out string? mine) ? mine : name));
        return scripts;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    internal static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static object? Scalar(DbConnection connection, string sql)
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
