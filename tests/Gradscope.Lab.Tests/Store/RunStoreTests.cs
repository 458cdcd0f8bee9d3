using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.TestSupport;
using Microsoft.Data.Sqlite;

namespace Gradscope.Lab.Tests.Store;

public sealed class RunStoreTests
{
    [Fact]
    public void Ulid_Is26CrockfordCharacters_SortedByTime_AndUnique()
    {
        var early = Ulid.New(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000));
        var late = Ulid.New(DateTimeOffset.FromUnixTimeMilliseconds(2_000_000));
        Assert.Equal(26, early.Length);
        Assert.All(early, c => Assert.True(Ulid.IsIdCharacter(c), $"'{c}'"));
        Assert.True(string.CompareOrdinal(early, late) < 0);
        var ids = new HashSet<string>();
        for (int i = 0; i < 1000; i++)
            Assert.True(ids.Add(Ulid.New()));
    }

    [Fact]
    public void Save_ThenLoad_GivesBackTheWholeRun()
    {
        var run = StoreTestRuns.Finished(StoreTestRuns.Config(), "sig", "a", "b");
        string path = StoreTestRuns.TempStore();
        using (var store = RunStore.Open(path))
            store.Save(run, [1, 2, 3]);

        using var reopened = RunStore.Open(path);
        var loaded = reopened.Load(run.Id);
        Assert.Equal("sig", loaded.Name);
        Assert.Equal(["a", "b"], loaded.Tags.Order());
        Assert.Equal(RunStatus.Completed, loaded.Status);
        Assert.Equal(RunSpecJson.Write(run.Spec!), RunSpecJson.Write(loaded.Spec!));
        Assert.Equal(run.Final, loaded.Final);
        StoreTestRuns.AssertSameTrace(run.Trace, loaded.Trace);
        Assert.NotEmpty(run.Findings);
        Assert.Equal(run.Findings.Count, loaded.Findings.Count);
        for (int i = 0; i < run.Findings.Count; i++)
        {
            Assert.Equal(run.Findings[i].Kind, loaded.Findings[i].Kind);
            Assert.Equal(run.Findings[i].Layers, loaded.Findings[i].Layers);
            Assert.Equal(run.Findings[i].Evidence, loaded.Findings[i].Evidence);
            Assert.Equal(run.Findings[i].Thresholds, loaded.Findings[i].Thresholds);
            Assert.Equal(run.Findings[i].Remedies.Select(r => r.Id), loaded.Findings[i].Remedies.Select(r => r.Id));
        }

        Assert.Equal([1, 2, 3], reopened.Model(run.Id));
    }

    [Fact]
    public void MatchIds_FindsUniqueAndAmbiguousPrefixes()
    {
        string path = StoreTestRuns.TempStore();
        using var store = RunStore.Open(path);
        var trace = new Trace([], [], [], "identity", 1);
        var a = StoreTestRuns.Header(StoreTestRuns.Config(), trace) with { Id = "01AAAAAAAAAAAAAAAAAAAAAAAA" };
        var b = a with { Id = "01AAAAAAAAAAAAAAAAAAAAAAAB" };
        store.Save(a with { Status = RunStatus.Completed });
        store.Save(b with { Status = RunStatus.Completed });
        Assert.Equal(2, store.MatchIds("01a").Count);
        Assert.Equal([b.Id], store.MatchIds("01AAAAAAAAAAAAAAAAAAAAAAAB"));
        Assert.Empty(store.MatchIds("7"));
    }

    [Fact]
    public void Open_StoreOfFirstSchemaVersion_MigratesAndKeepsItsRuns()
    {
        string path = StoreTestRuns.TempStore();
        var run = StoreTestRuns.Finished(StoreTestRuns.Config(epochs: 1));
        using (var old = RunStore.Open(path, version: 1))
        {
            Assert.Equal(1, old.Version);
            // Version 1 has no model column: insert through the columns it has.
            old.Begin(run);
        }

        using (var check = new SqliteConnection($"Data Source={path}"))
        {
            check.Open();
            using var command = check.CreateCommand();
            command.CommandText = "SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'model'";
            Assert.Equal(0L, command.ExecuteScalar());
        }

        using var store = RunStore.Open(path);
        Assert.Equal(RunStore.LatestVersion, store.Version);
        Assert.True(RunStore.LatestVersion >= 2);
        store.Finish(run.Id, RunEnd.Of(run, [9]));
        var loaded = store.Find(run.Id)!;
        Assert.Equal(RunStatus.Completed, loaded.Record.Status);
        Assert.Equal([9], store.Model(run.Id));
    }

    [Fact]
    public void Open_StoreOfSecondSchemaVersion_KeepsItsStepsInTheRowidTable()
    {
        string path = StoreTestRuns.TempStore();
        var run = StoreTestRuns.Finished(StoreTestRuns.Config(epochs: 1));
        using (var old = RunStore.Open(path, version: 2))
            old.Save(run);

        using var store = RunStore.Open(path);
        Assert.Equal(RunStore.LatestVersion, store.Version);
        var loaded = store.Load(run.Id);
        Assert.Equal(run.Trace.StepCount, loaded.Trace.StepCount);
        Assert.Equal(run.Trace.Loss(run.Trace.StepCount - 1), loaded.Trace.Loss(loaded.Trace.StepCount - 1));
        Assert.Equal(run.Trace.AtStep(LayerStat.DeltaRms, 1).ToArray(), loaded.Trace.AtStep(LayerStat.DeltaRms, 1).ToArray());
    }

    [Fact]
    public void Open_NotADatabase_SaysSoAndNamesTheFile()
    {
        string path = StoreTestRuns.TempStore();
        File.WriteAllText(path, "this is not a SQLite database, just some text that is long enough to have a header");
        var e = Assert.Throws<StoreException>(() => RunStore.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not a SQLite database or is corrupt", e.Message);
    }

    [Fact]
    public void Open_InUnwritableFolder_SaysItCannotWrite()
    {
        string path = Path.Combine(StoreTestRuns.TempStore() + ".missing-folder", "gradscope.db");
        var e = Assert.Throws<StoreException>(() => RunStore.Open(path));
        Assert.Contains("cannot write the run store", e.Message);
    }

    [Fact]
    public void Write_WhileAnotherConnectionHoldsTheLock_FailsWithLockedMessage()
    {
        string path = StoreTestRuns.TempStore();
        using var store = RunStore.Open(path, RunStore.LatestVersion, busyTimeoutMs: 200);

        using var holder = new SqliteConnection($"Data Source={path}");
        holder.Open();
        using var exclusive = holder.CreateCommand();
        exclusive.CommandText = "BEGIN EXCLUSIVE";
        exclusive.ExecuteNonQuery();
        var run = StoreTestRuns.Header(StoreTestRuns.Config(), new Trace([], [], [], "identity", 1));
        var e = Assert.Throws<StoreException>(() => store.Begin(run));
        Assert.Contains("is locked by another process", e.Message);
    }

    [Fact]
    public void List_RunningRunOfAProcessThatIsGone_IsMarkedInterrupted()
    {
        string path = StoreTestRuns.TempStore();
        var run = StoreTestRuns.Header(StoreTestRuns.Config(), new Trace([], [], [], "identity", 1));
        using var store = RunStore.Open(path);
        store.Begin(run);
        Assert.Equal(RunStatus.Running, store.List().Single().Record.Status);
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE runs SET pid = {PosixTools.DeadProcessId()}";
            command.ExecuteNonQuery();
        }

        var listed = store.List().Single().Record;
        Assert.Equal(RunStatus.Interrupted, listed.Status);
        Assert.NotNull(listed.Ended);
    }
}
