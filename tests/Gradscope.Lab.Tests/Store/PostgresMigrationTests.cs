using Gradscope.Lab.Store;
using Gradscope.TestSupport;

namespace Gradscope.Lab.Tests.Store;

/// <summary>Migrating a PostgreSQL store that many workers open at the same moment.</summary>
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
}
