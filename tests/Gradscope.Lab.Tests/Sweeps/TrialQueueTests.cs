using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Lab.Sweeps;
using Gradscope.Lab.Tests.Store;

namespace Gradscope.Lab.Tests.Sweeps;

/// <summary>The shared trial queue's semantics, on SQLite (the same SQL runs on PostgreSQL).</summary>
public sealed class TrialQueueTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static (RunStore Store, string Path, IReadOnlyList<SweepTrial> Trials) Queue(int seeds = 2)
    {
        var definition = new SweepDefinition { Name = "q", Grid = [new SweepAxis("activation", ["tanh", "relu"])], Seeds = [.. Enumerable.Range(1, seeds)] };
        var trials = SweepExpansion.Expand(definition, SweepTestSupport.Describe);
        string path = StoreTestRuns.TempStore();
        var store = RunStore.Open(path);
        store.SaveSweep(definition, trials);
        return (store, path, trials);
    }

    private static RunRecord RunOf(ClaimedTrial claim) =>
        StoreTestRuns.Finished(StoreTestRuns.Config(), claim.Trial.Cell, RunStore.SweepTag(claim.Sweep)) with { Id = claim.RunId };

    private static List<(string Key, int Attempt, string State, string? Error)> Attempts(string path)
    {
        using var connection = RunStore.Connect(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT trial_key, attempt, state, error FROM trial_attempts ORDER BY trial_key, attempt";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, int, string, string?)>();
        while (reader.Read())
            rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        return rows;
    }

    [Fact]
    public void ClaimNext_TakesTheLowestIndexFirst_ThenNothingWhenAllAreTaken()
    {
        var (store, _, trials) = Queue(seeds: 1);
        using var _store = store;
        var first = store.ClaimNext("q", "w/1", "h", Minute)!;
        var second = store.ClaimNext(null, "w/2", "h", Minute)!;
        Assert.Equal((trials[0].Key, 1, TrialState.Running), (first.Trial.Key, first.Attempt, first.Trial.State));
        Assert.Equal(trials[1].Key, second.Trial.Key);
        Assert.Null(store.ClaimNext("q", "w/3", "h", Minute));
        Assert.Null(store.ClaimNext("other", "w/3", "h", Minute));
        Assert.Equal(first, store.ClaimNext("q", "w/1", "h", Minute)); // a retried claim gets its own trial back
    }

    [Fact]
    public void ClaimNext_ManyThreads_ClaimEveryTrialExactlyOnce()
    {
        var (store, path, trials) = Queue(seeds: 10);
        store.Dispose();
        var claimed = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(1, 4).Select(t => new Thread(() =>
        {
            using var mine = RunStore.Open(path);
            while (mine.ClaimNext("q", $"w/{t}", "h", Minute) is { } claim)
            {
                claimed.Add(claim.Trial.Key);
                Assert.True(mine.FinishAttempt(claim, done: true, RunOfSaved(mine, claim), null, 3));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(trials.Select(t => t.Key).Order(), claimed.Order());
        Assert.All(Attempts(path), a => Assert.Equal((1, "done"), (a.Attempt, a.State)));
    }

    private static string RunOfSaved(RunStore store, ClaimedTrial claim)
    {
        store.Save(RunOf(claim));
        return claim.RunId;
    }

    [Fact]
    public void RenewLease_AfterItLapsed_IsLost_AndWhileItHolds_Succeeds()
    {
        var (store, _, _) = Queue(seeds: 1);
        using var _store = store;
        var held = store.ClaimNext("q", "w/1", "h", Minute)!;
        Assert.True(store.RenewLease(held, Minute));
        var lapsing = store.ClaimNext("q", "w/2", "h", TimeSpan.FromMilliseconds(20))!;
        Thread.Sleep(60);
        Assert.False(store.RenewLease(lapsing, Minute));
        Assert.False(store.RenewLease(held with { Worker = "w/9" }, Minute)); // not its worker
    }

    [Fact]
    public void RequeueExpired_QueuesTheTrialAgain_TheAttemptAndItsRunInterruptedNamingTheWorker()
    {
        var (store, path, _) = Queue(seeds: 1);
        using var _store = store;
        var claim = store.ClaimNext("q", "w/1", "h", TimeSpan.FromMilliseconds(20))!;
        store.Begin(RunOf(claim) with { Status = RunStatus.Running, Ended = null });
        var healthy = store.ClaimNext("q", "w/2", "h", Minute)!;
        Thread.Sleep(60);
        Assert.Equal(1, store.RequeueExpired());
        Assert.Equal(0, store.RequeueExpired());
        var trial = store.Trials("q").Single(t => t.Key == claim.Trial.Key);
        Assert.Equal(TrialState.Queued, trial.State);
        var attempt = Attempts(path).Single(a => a.Key == claim.Trial.Key);
        Assert.Equal("lost", attempt.State);
        Assert.Contains("w/1", attempt.Error);
        var run = store.Load(claim.RunId);
        Assert.Equal(RunStatus.Interrupted, run.Status);
        Assert.Contains("w/1", run.Error);
        Assert.Equal(TrialState.Running, store.Trials("q").Single(t => t.Key == healthy.Trial.Key).State);
        Assert.False(store.FinishAttempt(claim, done: true, RunOfSaved(store, claim with { RunId = Ulid.New() }), null, 3)); // the old attempt can no longer finish
        var again = store.ClaimNext("q", "w/3", "h", Minute)!;
        Assert.Equal((claim.Trial.Key, 2), (again.Trial.Key, again.Attempt));
    }

    [Fact]
    public void FinishAttempt_Failures_QueueTheTrialAgainUntilMaxAttempts_ThenFailed_KeepingEveryError()
    {
        var (store, path, _) = Queue(seeds: 1);
        using var _store = store;
        string key = "";
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            var claim = store.ClaimNext("q", $"w/{attempt}", "h", Minute)!;
            key = attempt == 1 ? claim.Trial.Key : key;
            Assert.Equal((key, attempt), (claim.Trial.Key, claim.Attempt));
            Assert.True(store.FinishAttempt(claim, done: false, RunOfSaved(store, claim), $"boom {attempt}", maxAttempts: 3));
            Assert.Equal(attempt < 3 ? TrialState.Queued : TrialState.Failed, store.Trials("q").Single(t => t.Key == key).State);
        }

        Assert.Equal(["boom 1", "boom 2", "boom 3"], Attempts(path).Where(a => a.Key == key).Select(a => a.Error));
        Assert.Equal("boom 3", store.QueueStatus("q")!.Failed.Single().LastError);
        Assert.NotEqual(key, store.ClaimNext("q", "w/4", "h", Minute)!.Trial.Key);
    }

    [Fact]
    public void RequeueExpired_ATrialThatLosesEveryWorker_IsFailedAtMaxAttempts_ButGiveBacksDoNotCount()
    {
        var (store, path, _) = Queue(seeds: 1);
        using var _store = store;
        var first = store.ClaimNext("q", "w/0", "h", Minute)!;
        Assert.True(store.GiveBack(first, "stopped by SIGTERM"));
        for (int lost = 1; lost <= 3; lost++)
        {
            var claim = store.ClaimNext("q", $"w/{lost}", "h", TimeSpan.FromMilliseconds(10))!;
            Assert.Equal(first.Trial.Key, claim.Trial.Key);
            Thread.Sleep(40);
            Assert.Equal(1, store.RequeueExpired(maxAttempts: 3));
            var trial = store.Trials("q").Single(t => t.Key == first.Trial.Key);
            Assert.Equal(lost < 3 ? TrialState.Queued : TrialState.Failed, trial.State);
        }

        var attempts = Attempts(path).Where(a => a.Key == first.Trial.Key).Select(a => a.State);
        Assert.Equal(["interrupted", "lost", "lost", "lost"], attempts);
        Assert.Contains("3 attempts were lost or failed", store.Trials("q").Single(t => t.Key == first.Trial.Key).LastError);
        Assert.NotEqual(first.Trial.Key, store.ClaimNext("q", "w/9", "h", Minute)!.Trial.Key);
    }

    [Fact]
    public void FinishAttempt_AfterAGiveBack_StillAllowsMaxAttemptsFailures()
    {
        var (store, _, _) = Queue(seeds: 1);
        using var _store = store;
        var given = store.ClaimNext("q", "w/0", "h", Minute)!;
        Assert.True(store.GiveBack(given, "stopped by SIGTERM"));
        var claim = store.ClaimNext("q", "w/1", "h", Minute)!;
        Assert.True(store.FinishAttempt(claim, done: false, RunOfSaved(store, claim), "boom", maxAttempts: 2));
        Assert.Equal(TrialState.Queued, store.TrialStateOf(claim));
    }

    [Fact]
    public void FinishAttempt_RetriedAfterItCommitted_AgreesAndRecordsOneDoneAttempt()
    {
        var (store, path, _) = Queue(seeds: 1);
        using var _store = store;
        var claim = store.ClaimNext("q", "w/1", "h", Minute)!;
        string run = RunOfSaved(store, claim);
        Assert.True(store.FinishAttempt(claim, done: true, run, null, 3));
        Assert.True(store.FinishAttempt(claim, done: true, run, null, 3));
        Assert.False(store.FinishAttempt(claim, done: false, run, "late", 3));
        Assert.Single(Attempts(path), a => a.State == "done");
        var trial = store.Trials("q").Single(t => t.Key == claim.Trial.Key);
        Assert.Equal((TrialState.Done, run), (trial.State, trial.RunId));
    }

    [Fact]
    public void GiveBack_QueuesTheTrialAtOnce_TheAttemptAndRunInterrupted()
    {
        var (store, path, _) = Queue(seeds: 1);
        using var _store = store;
        var claim = store.ClaimNext("q", "w/1", "h", Minute)!;
        store.Begin(RunOf(claim) with { Status = RunStatus.Running, Ended = null });
        Assert.True(store.GiveBack(claim, "stopped by SIGTERM"));
        Assert.True(store.GiveBack(claim, "stopped by SIGTERM")); // retried: the same answer
        Assert.Equal(TrialState.Queued, store.Trials("q").Single(t => t.Key == claim.Trial.Key).State);
        Assert.Equal(("interrupted", "stopped by SIGTERM"), Attempts(path).Select(a => (a.State, a.Error)).Single());
        Assert.Equal(RunStatus.Interrupted, store.Load(claim.RunId).Status);
        Assert.Equal(claim.Trial.Key, store.ClaimNext("q", "w/2", "h", Minute)!.Trial.Key);
    }

    [Fact]
    public void ClaimTrialAndFinishTrial_InProcessSweep_RecordAttemptsTheSameWay()
    {
        var (store, path, trials) = Queue(seeds: 1);
        using var _store = store;
        Assert.True(store.ClaimTrial("q", trials[0].Key));
        var run = StoreTestRuns.Finished(StoreTestRuns.Config(), "x", RunStore.SweepTag("q"));
        store.FinishTrial("q", trials[0].Key, run, TrialState.Done);
        Assert.Equal((trials[0].Key, 1, "done", (string?)null), Attempts(path).Single());
    }

    [Fact]
    public void QueueStatus_CountsRunningByWorkerAndLiveWorkers()
    {
        var (store, _, _) = Queue(seeds: 1);
        using var _store = store;
        var worker = WorkerIdentity.ForThisProcess();
        store.RegisterWorker(worker, "q", 1, Minute);
        var claim = store.ClaimNext("q", worker.Slot(1), worker.Host, Minute)!;
        var status = store.QueueStatus("q")!;
        Assert.Equal((1, 1), (status.Count(TrialState.Running), status.Count(TrialState.Queued)));
        Assert.Equal((claim.Trial.Key, worker.Slot(1), 1), (status.Running[0].Key, status.Running[0].Worker, status.Running[0].Attempt));
        Assert.Equal(1, status.WorkersAlive);
        store.StopWorker(worker, 0);
        Assert.Equal(0, store.QueueStatus("q")!.WorkersAlive);
        Assert.Null(store.QueueStatus("none"));
    }

    [Fact]
    public void QueueStatus_OfADrainedSweep_MeasuresItsRateUpToItsLastTrial_NotUpToNow()
    {
        var (store, path, _) = Queue(seeds: 1);
        using var _store = store;
        for (int i = 0; i < 2; i++)
        {
            var claim = store.ClaimNext("q", $"w/{i}", "h", Minute)!;
            Assert.True(store.FinishAttempt(claim, done: true, RunOfSaved(store, claim), null, 3));
        }

        // Two trials in the minute that ended two hours ago: 2 per minute then, however late one asks.
        using (var connection = RunStore.Connect(path))
        {
            RunStore.Execute(connection, $"UPDATE trial_attempts SET started = '{RunStore.Timestamp(DateTimeOffset.UtcNow.AddHours(-2).AddMinutes(-1))}'");
            RunStore.Execute(connection, $"UPDATE sweep_trials SET finished = '{RunStore.Timestamp(DateTimeOffset.UtcNow.AddHours(-2))}'");
        }

        var status = store.QueueStatus("q")!;
        Assert.Equal(2, status.TrialsPerMinute, 2);
        Assert.Equal(0, status.EtaSeconds);
    }
}
