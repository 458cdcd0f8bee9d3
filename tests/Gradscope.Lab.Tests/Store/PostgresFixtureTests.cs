using System.Diagnostics;
using Gradscope.TestSupport;
using Npgsql;

namespace Gradscope.Lab.Tests.Store;

/// <summary>
/// The PostgreSQL test fixture itself (tests/Shared/Postgres): fresh databases, restarts, and the
/// password-authenticated role. In the restart collection, since two of them restart the server.
/// </summary>
[Trait("Category", "Postgres")]
[Collection(PostgresRestartCollection.Name)]
public sealed class PostgresFixtureTests
{
    [PostgresFact]
    public void Create_MakesAFreshDatabase_AndDisposeDropsIt()
    {
        string name;
        using (var database = PostgresDatabase.Create())
        {
            name = database.Name;
            Assert.Matches("^gs_test_[0-9a-f]{16}$", name);
            var admin = PostgresServer.Admin();
            Assert.Equal($"postgres://{admin.Username}@{admin.Host}:{admin.Port}/{name}", database.Url);
            Assert.Equal(name, Scalar(database.ConnectionString, "SELECT current_database()"));
            Assert.True(DatabaseExists(name));
        }

        Assert.False(DatabaseExists(name));
    }

    [PostgresFact]
    public void Dispose_DropsADatabaseThatAConnectionStillUses()
    {
        var database = PostgresDatabase.Create();
        using var open = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        open.Open();
        database.Dispose();
        Assert.False(DatabaseExists(database.Name));
    }

    [PostgresFact]
    public void TwoDatabases_AreIndependent()
    {
        using var first = PostgresDatabase.Create();
        using var second = PostgresDatabase.Create();
        Assert.NotEqual(first.Name, second.Name);
        Execute(first.ConnectionString, "CREATE TABLE trials (id int); INSERT INTO trials VALUES (1)");
        Assert.Equal(1L, Scalar(first.ConnectionString, "SELECT count(*) FROM trials"));
        Assert.Equal(0L, Scalar(second.ConnectionString, "SELECT count(*) FROM pg_tables WHERE tablename = 'trials'"));
    }

    [PostgresFact]
    public void Restart_KeepsCommittedData()
    {
        using var database = PostgresDatabase.Create();
        Execute(database.ConnectionString, "CREATE TABLE trials (id int); INSERT INTO trials VALUES (1), (2)");
        PostgresServer.Restart();
        Assert.Equal(2L, Scalar(database.ConnectionString, "SELECT count(*) FROM trials"));
    }

    [PostgresFact]
    public void KillRestart_KeepsCommittedData_AndLosesTheOpenTransaction()
    {
        using var database = PostgresDatabase.Create();
        Execute(database.ConnectionString, "CREATE TABLE trials (id int); INSERT INTO trials VALUES (1)");
        using (var connection = database.Open())
        {
            using var transaction = connection.BeginTransaction();
            using var insert = new NpgsqlCommand("INSERT INTO trials VALUES (2)", connection, transaction);
            insert.ExecuteNonQuery();
            PostgresServer.KillRestart();
        }

        Assert.Equal(1L, Scalar(database.ConnectionString, "SELECT count(*) FROM trials"));
    }

    [PostgresFact]
    public void TestRole_AuthenticatesWithItsPassword_AndNotWithAWrongOne()
    {
        using var database = PostgresDatabase.Create();
        string good = database.ConnectionStringAs(PostgresServer.TestRole, PostgresServer.TestRolePassword);
        Assert.Equal(PostgresServer.TestRole, Scalar(good, "SELECT current_user"));

        string wrong = database.ConnectionStringAs(PostgresServer.TestRole, "not-the-password");
        var refused = Assert.Throws<PostgresException>(() => Scalar(wrong, "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
    }

    [PostgresFact]
    public void TestRole_AuthenticatesWithPgPassword_InPsql()
    {
        using var database = PostgresDatabase.Create();
        Assert.Equal((0, PostgresServer.TestRole), Psql(database, PostgresServer.TestRolePassword));
        var (exit, _) = Psql(database, "not-the-password");
        Assert.NotEqual(0, exit);
    }

    /// <summary>Runs psql as the test role with PGPASSWORD set (the way users give Gradscope a password).</summary>
    private static (int Exit, string Output) Psql(PostgresDatabase database, string password)
    {
        string psql = PostgresServer.Binary("psql") ?? throw new InvalidOperationException("no psql under /usr/lib/postgresql");
        var admin = PostgresServer.Admin();
        var info = new ProcessStartInfo(psql, ["-X", "-At", "-h", admin.Host!, "-p", admin.Port.ToString(), "-U", PostgresServer.TestRole, "-d", database.Name, "-c", "SELECT current_user"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["PGPASSWORD"] = password;
        info.Environment["PGPASSFILE"] = "/nonexistent"; // only PGPASSWORD may supply the password
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        error.Wait();
        return (process.ExitCode, output);
    }

    private static bool DatabaseExists(string name) =>
        (long)Scalar(PostgresServer.Admin().ConnectionString, $"SELECT count(*) FROM pg_database WHERE datname = '{name}'")! == 1;

    private static object? Scalar(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
