using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;

namespace Gradscope.Lab.Tests.Store;

public sealed class RunRecorderTests
{
    [Fact]
    public void Recorder_StoresEveryStepTheMonitorRecorded_AndTheEnd()
    {
        string path = StoreTestRuns.TempStore();
        var run = PreparedRun<float>.Create(StoreTestRuns.Config(epochs: 3));
        var monitor = new GradientMonitor<float>(run.Network, MonitorOptions.For(MonitorPreset.Standard), MonitoredRun.ExpectedSteps(run));
        run.Trainer.AddObserver(monitor);
        var header = StoreTestRuns.Header(run.Config, monitor.Trace, "live");
        var warnings = new List<string>();
        using var recorder = RunRecorder<float>.Start(path, header, warnings.Add);
        run.Trainer.AddObserver(recorder);
        var result = run.Trainer.Train(run.Train, run.Test);
        recorder.Complete(new RunEnd(RunStatus.Completed, DateTimeOffset.UtcNow, new RunMetrics(0.5, 0.75, double.NaN), []));

        Assert.Empty(warnings);
        using var store = RunStore.Open(path);
        var loaded = store.Load(header.Id);
        Assert.Equal(RunStatus.Completed, loaded.Status);
        Assert.Equal(result.Steps, loaded.Trace.StepCount);
        Assert.True(double.IsNaN(loaded.Final.TestAccuracy));
        StoreTestRuns.AssertSameTrace(monitor.Trace, loaded.Trace);
    }

    [Fact]
    public void Recorder_SteadyStateStep_AllocatesNothingOnTheTrainingThread()
    {
        string path = StoreTestRuns.TempStore();
        var run = PreparedRun<float>.Create(StoreTestRuns.Config() with { Epochs = 1000 });
        var monitor = new GradientMonitor<float>(run.Network, MonitorOptions.For(MonitorPreset.Cheap), 4096);
        run.Trainer.AddObserver(monitor);
        using var recorder = RunRecorder<float>.Start(path, StoreTestRuns.Header(run.Config, monitor.Trace), _ => { });
        run.Trainer.AddObserver(recorder);
        var batch = Enumerable.Range(0, 32).ToArray();
        for (int i = 0; i < 20; i++)
            run.Trainer.Step(run.Train, batch);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
            run.Trainer.Step(run.Train, batch);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        recorder.Complete(new RunEnd(RunStatus.Completed, DateTimeOffset.UtcNow, RunMetrics.None, []));
        using var store = RunStore.Open(path);
        Assert.Equal(220, store.Find(recorder.RunId)!.Steps);
    }

    [Fact]
    public void Recorder_RingSmallerThanTheRun_LosesNoStep()
    {
        string path = StoreTestRuns.TempStore();
        var run = PreparedRun<float>.Create(StoreTestRuns.Config() with { Epochs = 1000 });
        var monitor = new GradientMonitor<float>(run.Network, MonitorOptions.For(MonitorPreset.Cheap), 1024);
        run.Trainer.AddObserver(monitor);
        using var recorder = RunRecorder<float>.Start(path, StoreTestRuns.Header(run.Config, monitor.Trace), _ => { }, ringSlots: 8);
        run.Trainer.AddObserver(recorder);
        var batch = Enumerable.Range(0, 32).ToArray();
        for (int i = 0; i < 300; i++)
            run.Trainer.Step(run.Train, batch);
        recorder.Complete(new RunEnd(RunStatus.Completed, DateTimeOffset.UtcNow, RunMetrics.None, []));

        using var store = RunStore.Open(path);
        StoreTestRuns.AssertSameTrace(monitor.Trace, store.Load(recorder.RunId).Trace);
    }
}
