using Gradscope.Cli.Tests.Outputs;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.TestSupport;

namespace Gradscope.Cli.Tests.Runs;

/// <summary>Real processes writing to real SQLite files: killed mid-run, and two at once.</summary>
[Trait("Category", "Store")]
public sealed class RunStoreProcessTests
{
    private static readonly string[] LongTrain = ["train", "--layers", "3x32", "--samples", "200", "--batch-size", "16", "--epochs", "100000"];

    [UnixFact]
    public void Train_KilledWithSigkill_KeepsItsFlushedSteps_AndShowsInterrupted()
    {
        string dir = CliRunner.TempDir();
        string path = Path.Combine(dir, "s.db");
        using var cli = CliProcess.Start(dir, [.. LongTrain, "--store", path]);
        Assert.True(cli.WaitFor(() => StepsIn(path) > 0), cli.Err);
        // The writer keeps flushing while the run goes (waited for, not slept on: a loaded CI
        // machine may starve the child for a while), and is killed between flushes.
        int firstSeen = StepsIn(path);
        Assert.True(cli.WaitFor(() => StepsIn(path) > firstSeen), cli.Err);
        int seenBeforeKill = StepsIn(path);
        cli.Signal("KILL");
        cli.WaitForExit();

        using var store = RunStore.Open(path);
        var run = store.List().Single();
        Assert.Equal(RunStatus.Interrupted, run.Record.Status);
        // Every step flushed before the kill is kept and readable.
        Assert.True(run.Steps >= seenBeforeKill && seenBeforeKill > firstSeen, $"{run.Steps} steps stored, {seenBeforeKill} seen just before the kill, {firstSeen} first");
        var loaded = store.Load(run.Record.Id);
        Assert.Equal(run.Steps, loaded.Trace.StepCount);
        Assert.True(double.IsFinite(loaded.Trace.Loss(run.Steps - 1)));
    }

    [UnixFact]
    public void Train_TwoProcessesOnOneStore_LoseNoStep()
    {
        string dir = CliRunner.TempDir();
        string path = Path.Combine(dir, "shared.db");
        string[] args = [.. LongTrain, "--max-steps", "500", "--store", path, "--json"];
        using var first = CliProcess.Start(dir, [.. args, "--name", "one"]);
        using var second = CliProcess.Start(dir, [.. args, "--name", "two"]);
        Assert.Equal(0, first.WaitForExit(120_000));
        Assert.Equal(0, second.WaitForExit(120_000));

        using var store = RunStore.Open(path);
        var runs = store.List();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, run =>
        {
            Assert.Equal(RunStatus.Completed, run.Record.Status);
            Assert.Equal(500, run.Steps);
        });
    }

    private static int StepsIn(string path)
    {
        if (!File.Exists(path))
            return 0;
        try
        {
            using var store = RunStore.Open(path);
            var runs = store.List();
            return runs.Count == 0 ? 0 : runs[0].Steps;
        }
        catch (StoreException)
        {
            return 0;
        }
    }
}
