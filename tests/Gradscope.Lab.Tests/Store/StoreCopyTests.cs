using Gradscope.Lab.Store;
using Gradscope.Lab.Store.Copy;
using Gradscope.TestSupport;

namespace Gradscope.Lab.Tests.Store;

public sealed class StoreCopyTests
{
    [Fact]
    public void Copy_SqliteToSqlite_PreservesEveryRow_AndASecondCopyCopiesNothing()
    {
        var (source, runs) = SourceStore();
        string target = StoreTestRuns.TempStore();

        var first = CopyAll(source, target);
        var second = CopyAll(source, target);

        Assert.Equal(runs.Count, first.RunsCopied);
        Assert.Equal(1, first.SweepsCopied);
        Assert.True(first.Steps > 0 && first.Bytes > 0);
        StoreDump.AssertSame(StoreDump.Of(source), StoreDump.Of(target));
        Assert.Equal((0, runs.Count, 0, 0, 1, 0L), (second.RunsCopied, second.RunsPresent, second.SweepsCopied, second.SweepsPresent, second.SweepsUpToDate, second.Steps));
    }

    [Fact]
    public void Copy_SweepThatMovedOnSinceTheLastCopy_IsBroughtUpToDate_WithoutOverwritingNewerRowsOfTheTarget()
    {
        var (source, runs) = SourceStore();
        string target = StoreTestRuns.TempStore();
        CopyAll(source, target);
        // In the source, trial k1 ran since the first copy; in the target, someone marked k0 later still.
        Sql(source, $"UPDATE sweep_trials SET state = 'done', run_id = '{runs[1]}', attempts = 1, updated = '2025-02-01T00:00:00.000Z' WHERE trial_key = 'k1'");
        Sql(source, $"INSERT INTO trial_attempts (sweep, trial_key, attempt, worker, host, run_id, state, error, started, ended) VALUES ('sw', 'k1', 1, 'w3', 'h3', '{runs[1]}', 'done', NULL, '2025-02-01T00:00:00.000Z', '2025-02-01T00:00:01.000Z')");
        Sql(source, "UPDATE sweeps SET updated = '2025-02-01T00:00:00.000Z'");
        Sql(target, "UPDATE sweep_trials SET last_error = 'kept', updated = '2025-03-01T00:00:00.000Z' WHERE trial_key = 'k0'");

        var second = CopyAll(source, target);

        Assert.Equal((0, 1), (second.SweepsCopied, second.SweepsPresent));
        using var copied = RunStore.Open(target);
        var trials = copied.Trials("sw");
        var k1 = trials.Single(t => t.Key == "k1");
        Assert.Equal((TrialState.Done, runs[1], 1), (k1.State, k1.RunId, k1.Attempts));
        Assert.Equal("kept", trials.Single(t => t.Key == "k0").LastError);
        Assert.Equal(3, Count(target, "SELECT count(*) FROM trial_attempts"));
    }

    [Fact]
    public void Copy_RunStillRunning_IsSkippedAndNamed_AndItsTrialKeepsNoRun()
    {
        var (source, runs) = SourceStore();
        // This test process is alive, so the store cannot mark the run abandoned.
        Sql(source, $"UPDATE runs SET status = 'running', ended = NULL, host = '{Environment.MachineName}', pid = {Environment.ProcessId}, process_started = NULL WHERE id = '{runs[0]}'");
        string target = StoreTestRuns.TempStore();

        var result = CopyAll(source, target);

        Assert.Equal([runs[0]], result.RunsStillRunning);
        Assert.Equal(runs.Count - 1, result.RunsCopied);
        using var copied = RunStore.Open(target);
        Assert.Null(copied.Find(runs[0]));
        Assert.Null(copied.Trials("sw").Single(t => t.Key == "k0").RunId);
    }

    [Fact]
    public void Copy_StopRequestedAfterTheFirstRun_LeavesThatRunWholeAndNoOther()
    {
        var (source, runs) = SourceStore();
        string target = StoreTestRuns.TempStore();
        using var stop = new CancellationTokenSource();

        StoreCopyResult result;
        using (var copy = StoreCopy.Open(StoreLocation.Parse(source), StoreLocation.Parse(target)))
            result = copy.Copy(null, null, stop.Token, _ => stop.Cancel());

        Assert.True(result.Stopped);
        Assert.Equal(1, result.RunsCopied);
        using var copied = RunStore.Open(target);
        var only = Assert.Single(copied.List());
        using var original = RunStore.Open(source);
        Assert.Equal(original.Find(only.Record.Id)!.Steps, only.Steps);
        Assert.Empty(copied.ListSweeps());
    }

    [Fact]
    public void Open_MissingSource_FailsWithoutCreatingIt()
    {
        string missing = Path.Combine(Directory.CreateTempSubdirectory("gradscope-copy-").FullName, "none.db");

        var ex = Assert.Throws<StoreException>(() => StoreCopy.Open(StoreLocation.Parse(missing), StoreLocation.Parse(StoreTestRuns.TempStore())));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public void Open_SameStoreTwice_IsRefused()
    {
        var (source, _) = SourceStore();
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, source);

        var ex = Assert.Throws<StoreException>(() => StoreCopy.Open(StoreLocation.Parse(source), StoreLocation.Parse(relative)));

        Assert.Contains("same store", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_CorruptSource_SaysItIsNotADatabase()
    {
        string corrupt = StoreTestRuns.TempStore();
        File.WriteAllText(corrupt, "this is not a SQLite database, just text that is long enough to have a header of its own.");

        var ex = Assert.Throws<StoreException>(() => StoreCopy.Open(StoreLocation.Parse(corrupt), StoreLocation.Parse(StoreTestRuns.TempStore())));

        Assert.Contains(corrupt, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", ex.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    [Trait("Category", "Postgres")]
    public void Copy_SqliteToPostgresAndBack_PreservesEveryRowByteForByte_AndCopiesNothingTwice()
    {
        var (source, runs) = SourceStore();
        using var database = PostgresDatabase.Create();
        string back = StoreTestRuns.TempStore();

        var into = CopyAll(source, database.Url);
        var again = CopyAll(source, database.Url);
        var home = CopyAll(database.Url, back);

        Assert.Equal((runs.Count, 1), (into.RunsCopied, into.SweepsCopied));
        Assert.Equal((0, runs.Count, 0L), (again.RunsCopied, again.RunsPresent, again.Bytes));
        Assert.Equal(runs.Count, home.RunsCopied);
        var expected = StoreDump.Of(source);
        StoreDump.AssertSame(expected, StoreDump.Of(database.Url));
        StoreDump.AssertSame(expected, StoreDump.Of(back));
        using var store = RunStore.Open(database.Url);
        StoreTestRuns.AssertSameTrace(RunStore.Open(source).Load(runs[0]).Trace, store.Load(runs[0]).Trace);
        Assert.Equal([1, 2, 3], store.Model(runs[0]));
    }

    /// <summary>A SQLite store with two runs (histograms, epochs, a model, tags, a NaN loss) and a sweep with trials and attempts.</summary>
    internal static (string Path, List<string> Runs) SourceStore()
    {
        string path = StoreTestRuns.TempStore();
        var first = StoreTestRuns.Finished(StoreTestRuns.Config(), "first", "a", "sweep:sw");
        var second = StoreTestRuns.Finished(StoreTestRuns.Config("tanh", 1), null, "b");
        using (var store = RunStore.Open(path))
        {
            store.Save(first, [1, 2, 3]);
            store.Save(second);
        }

        Assert.NotEmpty(first.Trace.Histograms);
        // NaN is stored as NULL: the copy must keep it NULL (not 0, not a text 'NaN').
        Sql(path, $"UPDATE steps SET loss = NULL WHERE run_id = '{second.Id}' AND idx = 1");
        Sql(path, "INSERT INTO sweeps VALUES ('sw', '{\"name\":\"sw\"}', 'h', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')");
        Sql(path, $"INSERT INTO sweep_trials (sweep, idx, trial_key, cell, seed, spec, state, run_id, attempts, updated) VALUES ('sw', 0, 'k0', 'c0', 1, '{{}}', 'done', '{first.Id}', 2, '2025-01-01T00:00:00.000Z')");
        Sql(path, "INSERT INTO sweep_trials (sweep, idx, trial_key, cell, seed, spec, state, updated) VALUES ('sw', 1, 'k1', 'c1', 2, '{}', 'queued', '2025-01-01T00:00:00.000Z')");
        Sql(path, $"INSERT INTO trial_attempts VALUES ('sw', 'k0', 1, 'w1', 'h1', NULL, 'interrupted', 'lease expired', '2025-01-01T00:00:00.000Z', NULL)");
        Sql(path, $"INSERT INTO trial_attempts VALUES ('sw', 'k0', 2, 'w2', 'h2', '{first.Id}', 'done', NULL, '2025-01-01T00:00:01.000Z', '2025-01-01T00:00:02.000Z')");
        return (path, [first.Id, second.Id]);
    }

    internal static StoreCopyResult CopyAll(string from, string to)
    {
        using var copy = StoreCopy.Open(StoreLocation.Parse(from), StoreLocation.Parse(to));
        return copy.Copy(null, null, CancellationToken.None);
    }

    private static long Count(string store, string sql)
    {
        using var connection = RunStore.Connect(store);
        return Convert.ToInt64(RunStore.Scalar(connection, sql), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Sql(string store, string sql)
    {
        using var connection = RunStore.Connect(store);
        RunStore.Execute(connection, sql);
    }
}
