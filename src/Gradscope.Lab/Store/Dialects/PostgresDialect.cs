using System.Data.Common;
using System.Net.Sockets;
using Npgsql;

namespace Gradscope.Lab.Store.Dialects;

/// <summary>
/// A run store in a PostgreSQL database shared by many machines. Its transactions and row locks
/// are the coordination between workers; the clock that leases are measured by is the server's,
/// so machines whose clocks disagree still agree on when a lease ends.
/// </summary>
internal sealed class PostgresDialect : StoreDialect
{
    public static readonly PostgresDialect Instance = new();

    // Any constant: the advisory lock that lets one process at a time migrate a database.
    private const long MigrationLock = 0x67726164_73636f70;

    // Npgsql's message (it has no error code) when the server wants a password and none was given.
    private const string NoPasswordMessage = "No password has been provided";

    private const string TimestampFormat = "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'";

    public override StoreKind Kind => StoreKind.Postgres;

    public override string? MigrationSuffix => ".postgres.sql";

    public override string Now => $"to_char(clock_timestamp() AT TIME ZONE 'UTC', {TimestampFormat})";

    public override string NowPlus(string secondsParameter) =>
        $"to_char((clock_timestamp() + make_interval(secs => {secondsParameter})) AT TIME ZONE 'UTC', {TimestampFormat})";

    public override string ClaimLock => "FOR UPDATE SKIP LOCKED";

    public override string TagList => "string_agg(tag, chr(10) ORDER BY tag)";

    public override DbConnection Connect(StoreLocation location, int busyTimeoutMs)
    {
        var connection = new NpgsqlConnection(location.Target);
        try
        {
            connection.Open();
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or SocketException)
        {
            connection.Dispose();
            throw Explain(ex, location.Display)!;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Npgsql reads the password file while opening; a PGPASSFILE naming a missing or unreadable
            // file surfaced as a bare "Could not find file" that named neither the store nor PGPASSFILE.
            connection.Dispose();
            throw new StoreException($"cannot read the PostgreSQL password file for '{location.Display}' ({ex.Message.TrimEnd('.')}); " +
                "fix PGPASSFILE, or unset it to use ~/.pgpass.", ex);
        }
    }

    public override DbConnection ConnectReader(StoreLocation location) => Connect(location, BusyTimeoutMs);

    public override void ClearPool(StoreLocation location)
    {
        using var pooled = new NpgsqlConnection(location.Target);
        NpgsqlConnection.ClearPool(pooled);
    }

    public override DbTransaction BeginWrite(DbConnection connection) => connection.BeginTransaction();

    // Read committed takes a new snapshot per statement; repeatable read keeps the first.
    public override DbTransaction BeginSnapshot(DbConnection connection) => connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);

    public override void LockForMigration(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT pg_advisory_xact_lock({MigrationLock})";
        command.ExecuteNonQuery();
    }

    public override IStepSink StepSink(DbConnection connection, string runId) => new PostgresStepSink((NpgsqlConnection)connection, runId);

    public override StoreException? Explain(Exception ex, string display)
    {
        if (ex is PostgresException pg)
            return new StoreException(Describe(pg, display), ex);
        if (ex is NpgsqlException && ex.Message.StartsWith(NoPasswordMessage, StringComparison.Ordinal))
        {
            // The server was reached and asked for a password that neither PGPASSWORD nor a
            // matching ~/.pgpass line gave: "cannot reach ... check the server runs" would mislead.
            return new StoreException($"PostgreSQL asked for a password for '{display}' and none was found; set PGPASSWORD or add a line " +
                "host:port:database:user:password matching it to ~/.pgpass (mode 600; PGPASSFILE names another file).", ex);
        }

        if (ex is NpgsqlException or TimeoutException or SocketException)
        {
            string reason = (ex.InnerException ?? ex).Message.TrimEnd('.');
            return new StoreException($"cannot reach the PostgreSQL run store '{display}' ({reason}); check that the server runs and accepts connections from this machine.", ex);
        }

        return null;
    }

    public override bool IsTransient(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || pg.SqlState is "53300" or "40001" or "40P01",
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or SocketException or TimeoutException,
        TimeoutException or SocketException => true,
        _ => false,
    };

    private static string Describe(PostgresException pg, string display) => pg.SqlState switch
    {
        "28P01" or "28000" => $"PostgreSQL refused the login to '{display}' ({pg.MessageText}); set PGPASSWORD or add the password to ~/.pgpass (mode 600).",
        "3D000" => $"PostgreSQL store '{display}': {pg.MessageText}; create it first (createdb, or CREATE DATABASE).",
        "42501" => $"PostgreSQL store '{display}': {pg.MessageText}; the role needs rights to create and write tables in its database.",
        "53300" => $"PostgreSQL store '{display}' has no free connections ({pg.MessageText}); raise max_connections or run fewer workers.",
        _ when pg.SqlState.StartsWith("57P", StringComparison.Ordinal) => $"PostgreSQL store '{display}' is shutting down or restarting ({pg.MessageText}).",
        _ => $"PostgreSQL store '{display}': {pg.MessageText} (SQLSTATE {pg.SqlState}).",
    };
}
