using Gradscope.Lab.Live;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Lab.Tests.Store;

namespace Gradscope.Lab.Tests.Live;

public sealed class RunHostControlTests
{
    [Fact]
    public void Start_RecordsStepsLiveForOtherReaders_ThenStopStoresInterrupted()
    {
        string path = StoreTestRuns.TempStore();
        using var host = new RunHost(path, capacity: 2);
        string id = host.Start(HostedSpecs.Spiral(epochs: 10_000), new HostedRunOptions(Name: "live", Tags: ["mine"]));

        using (var reader = RunStore.Open(path))
        {
            HostedSpecs.WaitUntil(() => reader.Find(id)!.Steps > 0, "steps reach the store", 10);

            // The writer flushes at least every second: the store keeps up while the run goes on.
            long trained = host.State(id)!.Step;
            HostedSpecs.WaitUntil(() => reader.Find(id)!.Steps >= trained, "the store catches up with the run", 5);
            var summary = reader.Find(id)!;
            Assert.Equal(RunStatus.Running, summary.Record.Status);
            Assert.Equal("serve", summary.Record.Kind);
            Assert.Equal("live", summary.Record.Name);
            Assert.Equal(["mine", "serve"], summary.Record.Tags);
        }

        Assert.Equal("running", host.State(id)!.Status);
        Assert.Equal(10_000 * 15, host.State(id)!.TotalSteps);
        Assert.Equal(ControlOutcome.Applied, host.Control(id, RunControl.Stop));
        Assert.Equal("interrupted", HostedSpecs.WaitForEnd(host, id));
        Assert.Equal(ControlOutcome.Ended, host.Control(id, RunControl.Resume));
        Assert.Equal(0, host.Active);
        using var store = RunStore.Open(path);
        var stored = store.Load(id);
        Assert.Equal(RunStatus.Interrupted, stored.Status);
        Assert.Equal(host.State(id)!.Step, stored.Trace.StepCount);
        Assert.NotNull(store.Model(id));
    }

    [Fact]
    public void Pause_HoldsTheRun_StepAdvancesExactlyOne_ResumeGoesOn()
    {
        using var host = new RunHost(StoreTestRuns.TempStore());
        string id = host.Start(HostedSpecs.Spiral(epochs: 10_000), new HostedRunOptions());
        HostedSpecs.WaitUntil(() => host.State(id)!.Step > 5, "the run trains");

        Assert.Equal(ControlOutcome.Applied, host.Control(id, RunControl.Pause));
        Assert.Equal("paused", host.State(id)!.Status);
        long held = HoldsFor300Ms(host, id);

        host.Control(id, RunControl.Step);
        HostedSpecs.WaitUntil(() => host.State(id)!.Step == held + 1, "one step is taken");
        Assert.Equal(held + 1, HoldsFor300Ms(host, id));

        host.Control(id, RunControl.Resume);
        Assert.Equal("running", host.State(id)!.Status);
        HostedSpecs.WaitUntil(() => host.State(id)!.Step > held + 10, "the run goes on");
        host.Control(id, RunControl.Stop);
        Assert.Equal("interrupted", HostedSpecs.WaitForEnd(host, id));
    }

    [Fact]
    public void StartPaused_TakesNoStepUntilStepped_AndStopsAtOnceWhilePaused()
    {
        string path = StoreTestRuns.TempStore();
        using var host = new RunHost(path);
        string id = host.Start(HostedSpecs.Spiral(epochs: 10_000), new HostedRunOptions(Paused: true));
        Assert.Equal(0, HoldsFor300Ms(host, id));
        Assert.Equal("paused", host.State(id)!.Status);

        host.Control(id, RunControl.Step);
        HostedSpecs.WaitUntil(() => host.State(id)!.Step == 1, "the first step is taken");
        Assert.Equal(1, HoldsFor300Ms(host, id));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        host.Control(id, RunControl.Stop);
        Assert.Equal("interrupted", HostedSpecs.WaitForEnd(host, id, 5));
        Assert.True(clock.Elapsed.TotalSeconds < 5);
        using var store = RunStore.Open(path);
        Assert.Equal(1, store.Load(id).Trace.StepCount);
    }

    [Fact]
    public void Start_BeyondCapacity_ThrowsRunHostFull_UntilARunEnds()
    {
        using var host = new RunHost(StoreTestRuns.TempStore(), capacity: 1);
        string first = host.Start(HostedSpecs.Spiral(epochs: 10_000), new HostedRunOptions(Paused: true));
        Assert.Equal(1, host.Active);

        var ex = Assert.Throws<RunHostFullException>(() => host.Start(HostedSpecs.Spiral(epochs: 1), new HostedRunOptions()));
        Assert.Equal(1, ex.Capacity);

        host.Control(first, RunControl.Stop);
        HostedSpecs.WaitForEnd(host, first);
        HostedSpecs.WaitUntil(() => host.Active == 0, "the slot is free");
        string second = host.Start(HostedSpecs.Spiral(epochs: 1), new HostedRunOptions());
        Assert.Equal("completed", HostedSpecs.WaitForEnd(host, second));
    }

    [Fact]
    public void Start_DescriptionThatCannotRun_ThrowsWithTheReason_AndFreesItsSlot()
    {
        using var host = new RunHost(StoreTestRuns.TempStore(), capacity: 1);
        var spec = HostedSpecs.Spiral(epochs: 1) with { Data = new DataSpec { Source = "no-such-set" } };

        var ex = Assert.Throws<GradscopeException>(() => host.Start(spec, new HostedRunOptions()));
        Assert.Contains("no-such-set", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Active);
    }

    [Fact]
    public void Control_RunNotStartedHere_IsNotHosted()
    {
        using var host = new RunHost(StoreTestRuns.TempStore());
        Assert.Equal(ControlOutcome.NotHosted, host.Control("01JXXXXXXXXXXXXXXXXXXXXXXX", RunControl.Pause));
        Assert.Null(host.State("01JXXXXXXXXXXXXXXXXXXXXXXX"));
    }

    [Fact]
    public void Dispose_StopsEveryRun_AsInterrupted()
    {
        string path = StoreTestRuns.TempStore();
        string running, paused;
        using (var host = new RunHost(path))
        {
            running = host.Start(HostedSpecs.Spiral(epochs: 10_000), new HostedRunOptions());
            paused = host.Start(HostedSpecs.Spiral(epochs: 10_000), new HostedRunOptions(Paused: true));
        }

        using var store = RunStore.Open(path);
        Assert.Equal(RunStatus.Interrupted, store.Find(running)!.Record.Status);
        Assert.Equal(RunStatus.Interrupted, store.Find(paused)!.Record.Status);
    }

    // The step count read after the run has had time to reach its boundary, checked again 300 ms later.
    private static long HoldsFor300Ms(RunHost host, string id)
    {
        Thread.Sleep(50);
        long before = host.State(id)!.Step;
        Thread.Sleep(300);
        Assert.Equal(before, host.State(id)!.Step);
        return before;
    }
}
