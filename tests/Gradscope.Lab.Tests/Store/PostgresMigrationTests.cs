using Gradscope.Lab.Store;
using Gradscope.TestSupport;

namespace Gradscope.Lab.Tests.Store;

/// <summary>Opening a PostgreSQL store: many workers at the same moment, and after the server dropped the pooled connections.</summary>
[Trait("Category", "Postgres")]
public sealed class PostgresMigrationTests
{
    [PostgresFact]
    public void Open_EightProcessesAtOnceOnAFreshDatabase_AllSucceed_AndTheSchemaIsMigratedOnce()
    {
        using var database = PostgresDatabase.Create();
        const int Openers = 8;
        using var start = new Barrier(Openers);
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = new Thread[Openers];
        for (int t = 0; t < Openers; t++)
        {
            threads[t] = new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    using var store = RunStore.Open(database.Url);
                    Assert.Equal(RunStore.LatestVersion, store.Version);
                }
                catch (Exception ex)
                {
                    errors.Add(ex);
                }
            });
            threads[t].Start();
        }

        foreach (var thread in threads)
            thread.Join();
        Assert.Empty(errors);
        using var connection = database.Open();
        using var rows = new Npgsql.NpgsqlCommand("SELECT count(*) FROM schema_version", connection);
        Assert.Equal(1L, rows.ExecuteScalar());
    }

    [PostgresFact]
    public void Open_WithARetryBudget_AfterTheServerDroppedThePooledConnection_Reconnects()
    {
        using var database = PostgresDatabase.Create();
        var location = StoreLocation.Parse(database.Url);
        using (RunStore.Open(location))
        {
            // Back to Npgsql's pool, as a worker's store is between two trials.
        }

        // What a server restart does to it: the pooled connection is dead, and Npgsql learns so at its next statement.
        using (var admin = database.Open())
        using (var kill = new Npgsql.NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", admin))
            Assert.True((long)kill.ExecuteScalar()! >= 1);

        var warnings = new List<string>();
        using var store = RunStore.Open(location, TimeSpan.FromSeconds(30), warnings.Add);

        Assert.Equal(RunStore.LatestVersion, store.Version);
        Assert.Contains(warnings, w => w.StartsWith("warning: run store", StringComparison.Ordinal));
    }
}
