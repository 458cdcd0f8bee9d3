using Npgsql;

namespace Gradscope.TestSupport;

/// <summary>
/// A fresh database (<c>gs_test_&lt;hex&gt;</c>) on the test server for one test, dropped on
/// <see cref="Dispose"/> with whatever connections still use it.
/// </summary>
internal sealed class PostgresDatabase : IDisposable
{
    private readonly NpgsqlConnectionStringBuilder _admin;
    private bool _disposed;

    private PostgresDatabase(NpgsqlConnectionStringBuilder admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name }.ConnectionString;
        string user = Uri.EscapeDataString(admin.Username ?? "postgres");
        Url = $"postgres://{user}@{admin.Host}:{admin.Port}/{name}";
    }

    /// <summary>The database's name, <c>gs_test_</c> and 16 hex digits.</summary>
    public string Name { get; }

    /// <summary>An Npgsql connection string for the database, as the superuser.</summary>
    public string ConnectionString { get; }

    /// <summary>The database as a <c>postgres://user@host:port/db</c> URL (no password), the form users pass to --store.</summary>
    public string Url { get; }

    /// <summary>Creates a database with a name no other test uses.</summary>
    public static PostgresDatabase Create()
    {
        var admin = PostgresServer.Admin();
        string name = "gs_test_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray(), 0, 8);
        Execute(admin, $"CREATE DATABASE \"{name}\"");
        return new PostgresDatabase(admin, name);
    }

    /// <summary>A connection string for the database as <paramref name="user"/>, with <paramref name="password"/> when given.</summary>
    public string ConnectionStringAs(string user, string? password = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Username = user, Password = password };
        return builder.ConnectionString;
    }

    /// <summary>Opens a connection to the database as the superuser.</summary>
    public NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Ends the database's connections and drops it.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        using (var pooled = new NpgsqlConnection(ConnectionString))
            NpgsqlConnection.ClearPool(pooled);
        Execute(_admin, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Name}' AND pid <> pg_backend_pid()");
        Execute(_admin, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static void Execute(NpgsqlConnectionStringBuilder admin, string sql)
    {
        // Pooling off: the admin connection must not outlive a restart in a pool.
        var builder = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Pooling = false };
        using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
