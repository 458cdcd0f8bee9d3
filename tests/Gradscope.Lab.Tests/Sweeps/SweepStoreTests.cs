using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Lab.Sweeps;
using Gradscope.Lab.Tests.Store;

namespace Gradscope.Lab.Tests.Sweeps;

public sealed class SweepStoreTests
{
    private static (SweepDefinition Definition, IReadOnlyList<SweepTrial> Trials) Sweep(params string[] activations)
    {
        var definition = new SweepDefinition { Name = "s", Grid = [new SweepAxis("activation", activations)], Seeds = [1, 2] };
        return (definition, SweepExpansion.Expand(definition, SweepTestSupport.Describe));
    }

    [Fact]
    public void SaveSweep_QueuesEveryTrial_AndListCountsThemByState()
    {
        var (definition, trials) = Sweep("tanh", "relu");
        using var store = RunStore.Open(StoreTestRuns.TempStore());
        store.SaveSweep(definition, trials);
        var stored = store.FindSweep("s")!;
        Assert.Equal(4, stored.Total);
        Assert.Equal(4, stored.Count(TrialState.Queued));
        Assert.Equal(SweepTrial.GridHash(trials.Select(t => t.Key)), stored.GridHash);
        Assert.Equal(SweepJson.Write(definition), stored.Definition);
        var rows = store.Trials("s");
        Assert.Equal(trials.Select(t => (t.Index, t.Key, t.Cell, t.Seed)), rows.Select(r => (r.Index, r.Key, r.Cell, r.Seed)));
        Assert.Equal(RunSpecJson.Write(trials[0].Spec), rows[0].Spec);
        Assert.Single(store.ListSweeps());
        Assert.Null(store.FindSweep("other"));
    }

    [Fact]
    public void ClaimAndFinish_MoveATrialThroughTheQueue_WithItsRun()
    {
        var (definition, trials) = Sweep("tanh");
        using var store = RunStore.Open(StoreTestRuns.TempStore());
        store.SaveSweep(definition, trials);
        string key = trials[0].Key;
        Assert.True(store.ClaimTrial("s", key));
        Assert.False(store.ClaimTrial("s", key)); // running: not free
        var run = StoreTestRuns.Finished(StoreTestRuns.Config(), "activation=tanh seed=1", RunStore.SweepTag("s")) with { Status = RunStatus.Failed, Error = "boom" };
        store.FinishTrial("s", key, run, TrialState.Failed);
        var row = store.Trials("s").Single(t => t.Key == key);
        Assert.Equal((TrialState.Failed, run.Id, 1, "boom"), (row.State, row.RunId, row.Attempts, row.LastError));
        Assert.Equal(["sweep:s"], store.Load(run.Id).Tags);
        Assert.True(store.ClaimTrial("s", key)); // failed: free again
        Assert.Equal(2, store.Trials("s").Single(t => t.Key == key).Attempts);
    }

    [Fact]
    public void ReleaseAbandonedTrials_FreesTrialsOfAnEndedProcess_NotThisOnesLiveOnes()
    {
        var (definition, trials) = Sweep("tanh");
        string path = StoreTestRuns.TempStore();
        using var store = RunStore.Open(path);
        store.SaveSweep(definition, trials);
        Assert.True(store.ClaimTrial("s", trials[0].Key));
        Assert.True(store.ClaimTrial("s", trials[1].Key));
        Assert.Equal(0, store.ReleaseAbandonedTrials("s"));
        using (var connection = RunStore.Connect(path))
        {
            RunStore.Execute(connection, $"UPDATE sweep_trials SET worker = '{Environment.MachineName} 999999 2000-01-01T00:00:00.000Z' WHERE trial_key = '{trials[0].Key}'");
        }

        Assert.Equal(1, store.ReleaseAbandonedTrials("s"));
        var states = store.Trials("s").ToDictionary(t => t.Key, t => t.State);
        Assert.Equal(TrialState.Interrupted, states[trials[0].Key]);
        Assert.Equal(TrialState.Running, states[trials[1].Key]);
    }

    [Fact]
    public void SaveSweep_Again_KeepsTheStateOfTrialsItHas_AndAddsTheNew()
    {
        var (definition, trials) = Sweep("tanh");
        using var store = RunStore.Open(StoreTestRuns.TempStore());
        store.SaveSweep(definition, trials);
        Assert.True(store.ClaimTrial("s", trials[0].Key));
        var (wider, more) = Sweep("tanh", "relu");
        store.SaveSweep(wider, more);
        var rows = store.Trials("s");
        Assert.Equal(4, rows.Count);
        Assert.Equal(TrialState.Running, rows.Single(r => r.Key == trials[0].Key).State);
        Assert.Equal(3, rows.Count(r => r.State == TrialState.Queued));
    }
}
