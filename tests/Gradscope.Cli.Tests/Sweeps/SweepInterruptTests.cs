using Gradscope.Cli.Tests.Outputs;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.TestSupport;

namespace Gradscope.Cli.Tests.Sweeps;

/// <summary>A real sweep process stopped with Ctrl-C (SIGINT), then resumed.</summary>
[Trait("Category", "Store")]
public sealed class SweepInterruptTests
{
    [UnixFact]
    [Trait("Category", "Slow")]
    public void CtrlC_StopsCleanly_InFlightTrialsInterrupted_AndTheNextRunFinishesTheSweep()
    {
        string dir = CliRunner.TempDir();
        string path = Path.Combine(dir, "s.db");
        // Long enough trials that two are in flight when the signal comes.
        string[] args = ["sweep", "run", "--name", "c", "--data", "spiral", "--samples", "256", "--batch-size", "16", "--max-steps", "2000", "--epochs", "1000",
            "--activation", "tanh,relu,sigmoid", "--seeds", "2", "--parallel", "2", "--store", path];
        using (var cli = CliProcess.Start(dir, args))
        {
            Assert.True(cli.WaitFor(() => Running(path) > 0), cli.Err);
            cli.Signal("INT");
            Assert.Equal(130, cli.WaitForExit(120_000));
            Assert.DoesNotContain("   at ", cli.Err);
        }

        IReadOnlyList<StoredTrial> trials;
        using (var store = RunStore.Open(path))
            trials = store.Trials("c");
        Assert.DoesNotContain(trials, t => t.State == TrialState.Running);
        var interrupted = trials.Where(t => t.State == TrialState.Interrupted).ToList();
        Assert.NotEmpty(interrupted);
        using (var store = RunStore.Open(path))
            Assert.All(interrupted, t => Assert.Equal(RunStatus.Interrupted, store.Find(t.RunId!)!.Record.Status));

        int left = trials.Count(t => t.State != TrialState.Done);
        using (var resumed = CliProcess.Start(dir, args))
        {
            Assert.Equal(0, resumed.WaitForExit(300_000));
            Assert.Contains($"6 trials, {left} to run", resumed.Err);
        }

        using (var store = RunStore.Open(path))
            Assert.All(store.Trials("c"), t => Assert.Equal(TrialState.Done, t.State));
    }

    private static int Running(string path)
    {
        if (!File.Exists(path))
            return 0;
        try
        {
            using var store = RunStore.Open(path);
            return store.FindSweep("c") is null ? 0 : store.Trials("c").Count(t => t.State == TrialState.Running);
        }
        catch (StoreException)
        {
            return 0; // being created
        }
    }
}
