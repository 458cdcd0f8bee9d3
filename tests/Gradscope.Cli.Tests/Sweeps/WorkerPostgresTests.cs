using System.Diagnostics;
using Gradscope.Cli.Tests.Outputs;
using Gradscope.TestSupport;
using Npgsql;

namespace Gradscope.Cli.Tests.Sweeps;

/// <summary>
/// Workers of the shared queue as separate processes on a PostgreSQL store (issue 19's "done
/// means"): draining a sweep together, a worker killed mid-trial, the same summary as an
/// in-process sweep on SQLite, and a database restart in the middle of a sweep.
/// </summary>
[Trait("Category", "Postgres")]
[Collection(PostgresRestartCollection.Name)]
public sealed class WorkerPostgresTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static int PatienceMs => (int)Patience.TotalMilliseconds;

    // A worker as a batch system starts one: a child process that can be sent real signals.
    private static CliProcess Worker(string store, params string[] args) => CliProcess.Start(Path.GetTempPath(), ["worker", "--store", store, .. args]);

    // Tiny trials: a 2x8 network, 10 steps (or as many as given).
    private static string[] Tiny(int steps = 10) => ["--data", "spiral", "--samples", "128", "--layers", "2x8", "--max-steps", $"{steps}", "--batch-size", "32"];

    private static void Enqueue(string store, string name, params string[] args)
    {
        var (exit, _, err) = CliRunner.Run(["sweep", "run", "--name", name, .. args, "--store", store, "--enqueue"]);
        Assert.True(exit == 0, err);
    }

    private static long Count(PostgresDatabase database, string sql)
    {
        using var connection = database.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AssertEveryTrialDoneOnce(PostgresDatabase database, int trials)
    {
        Assert.Equal(trials, Count(database, "SELECT count(*) FROM sweep_trials WHERE state = 'done'"));
        Assert.Equal(trials, Count(database, "SELECT count(*) FROM trial_attempts WHERE state = 'done'"));
        Assert.Equal(0, Count(database, "SELECT count(*) FROM (SELECT trial_key FROM trial_attempts WHERE state = 'done' GROUP BY sweep, trial_key HAVING count(*) <> 1) x"));
        Assert.Equal(0, Count(database, "SELECT count(*) FROM sweep_trials t JOIN trial_attempts a ON a.sweep = t.sweep AND a.trial_key = t.trial_key AND a.state = 'done' WHERE a.run_id <> t.run_id"));
    }

    private static List<CliProcess> StartWorkers(int count, string store, params string[] args)
    {
        var workers = new List<CliProcess>();
        for (int i = 0; i < count; i++)
            workers.Add(Worker(store, args));
        return workers;
    }

    private static void AssertAllExitZero(List<CliProcess> workers)
    {
        foreach (var worker in workers)
        {
            using (worker)
                Assert.True(worker.WaitForExit(PatienceMs) == 0, worker.Err);
        }
    }

    [PostgresFact]
    public void Workers_FourProcesses_Drain200Trials_EachWithExactlyOneDoneAttempt()
    {
        using var database = PostgresDatabase.Create();
        Enqueue(database.Url, "drain", [.. Tiny(), "--activation", "tanh,relu", "--lr", "0.01,0.1", "--seeds", "50"]);
        var clock = Stopwatch.StartNew();
        var workers = StartWorkers(4, database.Url, "--sweep", "drain", "--idle-exit", "1s", "--lease", "10s");
        AssertAllExitZero(workers);
        Assert.True(clock.Elapsed < Patience);
        AssertEveryTrialDoneOnce(database, 200);
        Assert.Equal(200, Count(database, "SELECT count(*) FROM runs WHERE status = 'completed' AND kind = 'sweep'"));
        Assert.True(Count(database, "SELECT count(DISTINCT worker) FROM trial_attempts") >= 2, "the trials were shared between the workers");
    }

    [PostgresFact]
    public void Worker_KilledMidTrial_ItsTrialIsTakenOverWithinTheLease_TheLostAttemptAnInterruptedRun()
    {
        using var database = PostgresDatabase.Create();
        Enqueue(database.Url, "kill", "--data", "spiral", "--samples", "512", "--layers", "4x128", "--epochs", "100000", "--max-steps", "15000", "--batch-size", "64");
        using var doomed = Worker(database.Url, "--sweep", "kill", "--lease", "5s", "--idle-exit", "1s");
        WaitFor(() => Count(database, "SELECT count(*) FROM steps") > 0, "the first worker's trial to record steps");
        using var survivor = Worker(database.Url, "--sweep", "kill", "--lease", "5s", "--idle-exit", "1s");
        WaitFor(() => Count(database, "SELECT count(*) FROM workers") == 2, "the second worker to register");
        Assert.Equal(0, Count(database, "SELECT count(*) FROM sweep_trials WHERE state = 'done'"));
        doomed.Signal("KILL");
        var killed = Stopwatch.StartNew();
        Assert.Equal(0, survivor.WaitForExit(PatienceMs));
        Assert.Equal(1, Count(database, "SELECT count(*) FROM sweep_trials WHERE state = 'done' AND attempts = 2"));
        double trialSeconds = Seconds(database, "SELECT extract(epoch FROM ended::timestamptz - started::timestamptz) FROM trial_attempts WHERE attempt = 2");
        double takeover = Seconds(database, "SELECT extract(epoch FROM finished::timestamptz - now()) FROM sweep_trials") + killed.Elapsed.TotalSeconds;
        const double Lease = 5, Poll = 1.5, Slack = 2;
        Assert.True(takeover <= Lease + trialSeconds + Poll + Slack, $"taken over and done {takeover:0.0} s after the kill; the trial takes {trialSeconds:0.0} s");
        Assert.Equal(1, Count(database, "SELECT count(*) FROM trial_attempts WHERE attempt = 1 AND state = 'lost' AND error LIKE '%lapsed%'"));
        Assert.Equal(1, Count(database, "SELECT count(*) FROM runs r JOIN trial_attempts a ON a.run_id = r.id WHERE a.attempt = 1 AND r.status = 'interrupted'"));
        AssertEveryTrialDoneOnce(database, 1);
    }

    [PostgresFact]
    public void SweepShow_OfASweepRunByWorkersOnPostgres_EqualsTheInProcessSweepOnSqlite()
    {
        string[] sweep = ["--data", "spiral", "--samples", "256", "--max-steps", "40", "--batch-size", "32", "--activation", "sigmoid,relu", "--layers", "2x16", "--layers", "6x16", "--seeds", "2"];
        string sqlite = SweepTestStore.NewStore();
        var (exit, _, err) = CliRunner.Run(["sweep", "run", "--name", "same", .. sweep, "--store", sqlite, "--parallel", "2"]);
        Assert.True(exit == 0, err);
        using var database = PostgresDatabase.Create();
        Enqueue(database.Url, "same", sweep);
        AssertAllExitZero(StartWorkers(2, database.Url, "--sweep", "same", "--idle-exit", "1s", "--parallel", "2"));
        var onSqlite = CliRunner.Run("sweep", "show", "same", "--store", sqlite);
        var onPostgres = CliRunner.Run("sweep", "show", "same", "--store", database.Url);
        Assert.Equal(0, onPostgres.Exit);
        Assert.Contains("8 done", onPostgres.Out);
        Assert.Equal(onSqlite.Out, onPostgres.Out);
    }

    [PostgresFact]
    public void Workers_ThroughAPostgresRestartMidSweep_FinishEveryTrialExactlyOnce()
    {
        using var database = PostgresDatabase.Create();
        Enqueue(database.Url, "restart", [.. Tiny(300), "--activation", "tanh,relu", "--seeds", "20"]);
        var workers = StartWorkers(2, database.Url, "--sweep", "restart", "--idle-exit", "2s", "--parallel", "2", "--lease", "20s");
        WaitFor(() => Count(database, "SELECT count(*) FROM sweep_trials WHERE state = 'done'") >= 5, "five trials done");
        PostgresServer.Restart();
        AssertAllExitZero(workers);
        AssertEveryTrialDoneOnce(database, 40);
        Assert.Contains(workers, w => w.Err.Contains("retrying", StringComparison.Ordinal));
    }

    [PostgresFact]
    public void Worker_Sigterm_GivesItsTrialBackAtOnce_AndExits143()
    {
        using var database = PostgresDatabase.Create();
        Enqueue(database.Url, "term", "--data", "spiral", "--samples", "512", "--layers", "4x128", "--epochs", "100000", "--max-steps", "20000", "--batch-size", "64");
        using var worker = Worker(database.Url, "--sweep", "term", "--lease", "60s");
        WaitFor(() => Count(database, "SELECT count(*) FROM steps") > 0, "the worker's trial to record steps");
        worker.Signal("TERM");
        var signalled = Stopwatch.StartNew();

        Assert.Equal(143, worker.WaitForExit(PatienceMs));
        Assert.True(signalled.Elapsed < TimeSpan.FromSeconds(10), $"exited {signalled.Elapsed.TotalSeconds:0.0} s after SIGTERM");
        // Given back at once, not left for its 60 s lease to lapse.
        Assert.Equal(1, Count(database, "SELECT count(*) FROM sweep_trials WHERE state = 'queued' AND lease_until IS NULL"));
        Assert.Equal(1, Count(database, "SELECT count(*) FROM trial_attempts WHERE attempt = 1 AND state = 'interrupted' AND error LIKE '%stopped%'"));
        Assert.Equal(1, Count(database, "SELECT count(*) FROM runs WHERE status = 'interrupted' AND error LIKE '%was stopped%'"));
        Assert.Equal(1, Count(database, "SELECT count(*) FROM workers WHERE stopped IS NOT NULL"));
    }

    [PostgresFact]
    public void SweepStatus_ATrialWhoseLeaseLapsed_IsShownAsLapsed_NotAsHeld()
    {
        // Before: a SIGKILLed worker's trial read "running" (and counted in the ETA) with nothing to
        // tell it from a live one, for as long as no worker polled to re-queue it.
        using var database = PostgresDatabase.Create();
        Enqueue(database.Url, "lapse", [.. Tiny(), "--activation", "tanh,relu"]);
        Count(database, "WITH u AS (UPDATE sweep_trials SET state = 'running', attempts = 1, worker = 'gone:1:X/1', " +
            "lease_until = CASE WHEN idx = 0 THEN '2000-01-01T00:00:00.000Z' ELSE '2999-01-01T00:00:00.000Z' END RETURNING 1) SELECT count(*) FROM u");

        var (exit, json, err) = CliRunner.Run("sweep", "status", "lapse", "--store", database.Url, "--json");

        Assert.True(exit == 0, err);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var running = doc.RootElement.GetProperty("running");
        Assert.Equal(2, running.GetArrayLength());
        Assert.True(running[0].GetProperty("lease_lapsed_seconds").GetDouble() > 3600, running[0].ToString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, running[1].GetProperty("lease_lapsed_seconds").ValueKind);
        var plain = CliRunner.Run("sweep", "status", "lapse", "--store", database.Url);
        Assert.Contains("1 of the running trials have a lapsed lease", plain.Out);
        Assert.Contains("lapsed ", plain.Out);
        Assert.Contains("held", plain.Out);
    }

    [PostgresFact]
    public void Enqueue_ADrainedSweepAgain_SaysThereIsNothingToQueue_AndAWorkerOfAnUnknownSweepWarns()
    {
        using var database = PostgresDatabase.Create();
        Enqueue(database.Url, "once", [.. Tiny(), "--seeds", "2"]);
        AssertAllExitZero(StartWorkers(1, database.Url, "--sweep", "once", "--idle-exit", "0s"));

        var again = CliRunner.Run(["sweep", "run", "--name", "once", .. Tiny(), "--seeds", "2", "--store", database.Url, "--enqueue"]);
        Assert.Equal(0, again.Exit);
        Assert.Contains("nothing to queue: 2 done", again.Out);
        Assert.DoesNotContain("start workers", again.Out);

        using var typo = Worker(database.Url, "--sweep", "onse", "--idle-exit", "0s");
        Assert.Equal(0, typo.WaitForExit(PatienceMs));
        Assert.Contains("no sweep 'onse'", typo.Err);
    }

    private static double Seconds(PostgresDatabase database, string sql)
    {
        using var connection = database.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToDouble(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Patience)
                Assert.Fail($"gave up waiting for {what}");
            Thread.Sleep(100);
        }
    }
}
