using System.Text.Json;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Microsoft.Data.Sqlite;

namespace Gradscope.Cli.Tests.Sweeps;

public sealed class SweepRunTests
{
    [Fact]
    public void DryRun_ListsEveryTrialAndTheCount_AndLayersWithACommaIsOneNetwork()
    {
        string store = SweepTestStore.NewStore();
        var (exit, output, err) = SweepTestStore.Run(store, "--name", "d", "--layers", "64,32", "--layers", "2x8", "--activation", "tanh,relu", "--seeds", "2", "--dry-run");
        Assert.True(exit == 0, err);
        Assert.Contains("sweep d: 8 trials (dry run", output);
        Assert.Contains("layers=64,32 activation=relu", output);
        Assert.False(File.Exists(store)); // nothing recorded

        (exit, output, err) = SweepTestStore.Run(store, "--name", "d", "--layers", "64,32", "--layers", "2x8", "--activation", "tanh,relu", "--seeds", "2", "--dry-run", "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(8, doc.RootElement.GetProperty("count").GetInt32());
        var first = doc.RootElement.GetProperty("trials")[0];
        Assert.Equal("layers=64,32 activation=tanh", first.GetProperty("cell").GetString());
        var spec = RunSpecJson.Read(first.GetProperty("spec"), "plan");
        Assert.Equal([64, 32], spec.Network.Layers.OfType<Gradscope.Training.DenseSpec>().Select(d => d.Units));
        Assert.Equal([1, 2, 1], doc.RootElement.GetProperty("trials").EnumerateArray().Take(3).Select(t => t.GetProperty("seed").GetInt32()));
    }

    [Fact]
    public void Run_RecordsEachTrialAsATaggedRun_AndAgainRunsNothing()
    {
        string store = SweepTestStore.NewStore();
        var (exit, output, err) = SweepTestStore.Run(store, "--name", "a", "--activation", "tanh,relu", "--seeds", "2", "--parallel", "2");
        Assert.True(exit == 0, err);
        Assert.Contains("sweep a: 4 trials: 4 done, 0 failed", output);
        Assert.Contains("trials/min", err);
        var runs = SweepTestStore.Runs(store, "a");
        Assert.Equal(4, runs.Count);
        Assert.All(runs, r => Assert.Equal((RunStatus.Completed, "sweep", 30), (r.Status, r.Kind, r.Trace.StepCount)));
        Assert.Contains(runs, r => r.Name == "activation=relu seed=2");

        (exit, _, err) = SweepTestStore.Run(store, "--name", "a", "--activation", "tanh,relu", "--seeds", "2");
        Assert.True(exit == 0, err);
        Assert.Contains("4 trials, 0 to run", err);
        Assert.Equal(4, SweepTestStore.Runs(store, "a").Count);
    }

    [Fact]
    public void Resume_RunsExactlyTheMissingAndFailedTrials()
    {
        string store = SweepTestStore.NewStore();
        string[] grid = ["--name", "r", "--activation", "tanh,relu,sigmoid", "--seeds", "2"];
        Assert.Equal(0, SweepTestStore.Run(store, grid).Exit);
        var trials = SweepTestStore.Trials(store, "r");
        Assert.Equal(6, trials.Count);

        // Two trials lose their runs (never run), one failed.
        using (var connection = new SqliteConnection($"Data Source={store};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText =
                $"DELETE FROM runs WHERE id IN ('{trials[1].RunId}', '{trials[4].RunId}');" +
                $"UPDATE sweep_trials SET state = 'queued', run_id = NULL WHERE trial_key IN ('{trials[1].Key}', '{trials[4].Key}');" +
                $"UPDATE sweep_trials SET state = 'failed' WHERE trial_key = '{trials[2].Key}';";
            command.ExecuteNonQuery();
        }

        var (exit, _, err) = SweepTestStore.Run(store, grid);
        Assert.True(exit == 0, err);
        Assert.Contains("6 trials, 3 to run", err);
        var after = SweepTestStore.Trials(store, "r");
        Assert.All(after, t => Assert.Equal(TrialState.Done, t.State));
        for (int i = 0; i < 6; i++)
        {
            bool rerun = i is 1 or 2 or 4;
            Assert.Equal(rerun, after[i].RunId != trials[i].RunId);
            Assert.Equal(rerun ? 2 : 1, after[i].Attempts);
        }

        Assert.Equal(7, SweepTestStore.Runs(store, "r").Count); // 6 + the failed trial's first run
    }

    [Fact]
    public void Run_DifferentGridUnderTheSameName_IsUsage_UnlessExtend()
    {
        string store = SweepTestStore.NewStore();
        Assert.Equal(0, SweepTestStore.Run(store, "--name", "x", "--activation", "tanh,relu").Exit);
        var (exit, _, err) = SweepTestStore.Run(store, "--name", "x", "--activation", "tanh,relu,sigmoid");
        Assert.Equal(2, exit);
        Assert.StartsWith("error: sweep 'x' in ", err);
        Assert.Contains("--extend", err);
        Assert.Equal(2, SweepTestStore.Runs(store, "x").Count);

        (exit, _, err) = SweepTestStore.Run(store, "--name", "x", "--activation", "tanh,relu,sigmoid", "--extend");
        Assert.True(exit == 0, err);
        Assert.Contains("3 trials, 1 to run", err);
        Assert.Equal(3, SweepTestStore.Runs(store, "x").Count);
    }

    [Fact]
    public void Run_ATrialThatThrowsAndOneThatDiverges_AreRecorded_AndTheOthersComplete()
    {
        string dir = CliRunner.TempDir();
        string store = Path.Combine(dir, "s.db");
        string oneClass = Path.Combine(dir, "one.csv");
        File.WriteAllText(oneClass, "a,b,label\n1,2,x\n3,4,x\n5,6,x\n7,8,x\n");
        var (exit, output, err) = CliRunner.Run("sweep", "run", "--name", "f", "--data", "spiral," + oneClass, "--lr", "0.1,1e30",
            "--samples", "256", "--max-steps", "30", "--store", store, "--parallel", "2");
        Assert.Equal(1, exit);
        Assert.Contains("2 trial(s) of sweep f failed", err);
        Assert.Contains("4 trials: 2 done, 2 failed", output);
        var runs = SweepTestStore.Runs(store, "f");
        Assert.Equal(4, runs.Count);
        var failed = runs.Where(r => r.Status == RunStatus.Failed).ToList();
        Assert.Equal(2, failed.Count);
        Assert.All(failed, r => Assert.Contains("one class", r.Error));
        var diverged = runs.Single(r => r.Status == RunStatus.Diverged);
        Assert.Equal("data=spiral lr=1e30 seed=1", diverged.Name);
        Assert.NotNull(diverged.Error);
        Assert.Single(runs, r => r.Status == RunStatus.Completed);
        var states = SweepTestStore.Trials(store, "f").Select(t => t.State).Order();
        Assert.Equal([TrialState.Done, TrialState.Done, TrialState.Failed, TrialState.Failed], states);
        Assert.All(SweepTestStore.Trials(store, "f").Where(t => t.State == TrialState.Failed), t => Assert.Contains("one class", t.LastError));
    }

    [Fact]
    public void Run_Parallel1AndParallel2_GiveBitIdenticalRuns()
    {
        string[] grid = ["--name", "p", "--layers", "3x16", "--activation", "tanh,relu", "--init", "glorot-uniform,he-normal"]; // batches of 32: split over two cores outside a sweep
        string one = SweepTestStore.NewStore(), two = SweepTestStore.NewStore();
        Assert.Equal(0, SweepTestStore.Run(one, [.. grid, "--parallel", "1"]).Exit);
        Assert.Equal(0, SweepTestStore.Run(two, [.. grid, "--parallel", "2"]).Exit);
        var first = SweepTestStore.Runs(one, "p").ToDictionary(r => r.Name!);
        var second = SweepTestStore.Runs(two, "p").ToDictionary(r => r.Name!);
        Assert.Equal(4, first.Count);
        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        foreach (var (name, a) in first)
        {
            var b = second[name];
            Assert.Equal(Bits(a.Final.Loss), Bits(b.Final.Loss));
            Assert.Equal(Bits(a.Final.TestAccuracy), Bits(b.Final.TestAccuracy));
            Assert.Equal(a.Trace.StepCount, b.Trace.StepCount);
            for (int s = 0; s < a.Trace.StepCount; s++)
            {
                Assert.Equal(Bits(a.Trace.Loss(s)), Bits(b.Trace.Loss(s)));
                foreach (var stat in Enum.GetValues<Gradscope.Diagnostics.LayerStat>())
                {
                    for (int l = 0; l < a.Trace.LayerCount; l++)
                        Assert.Equal(Bits(a.Trace[stat, s, l]), Bits(b.Trace[stat, s, l]));
                }
            }
        }
    }

    private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);
}
