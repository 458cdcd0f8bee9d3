using Gradscope.Lab.Live;

namespace Gradscope.Lab.Tests.Live;

public sealed class StepGateTests
{
    [Fact]
    public void AtBoundary_WhileRunning_AllocatesNothing_AndTakesNoSnapshot()
    {
        var gate = new StepGate(paused: false);
        int taken = 0;
        Func<ModelSnapshot?> take = () =>
        {
            taken++;
            return null;
        };
        gate.AtBoundary(take);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            gate.AtBoundary(take);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, taken);
    }

    [Fact]
    public void Snapshot_OfAHeldRun_IsTakenOnTheTrainingThread()
    {
        var gate = new StepGate(paused: true);
        int trainingThread = 0;
        int takenOn = -1;
        var training = new Thread(() =>
        {
            trainingThread = Environment.CurrentManagedThreadId;
            gate.AtBoundary(() =>
            {
                takenOn = Environment.CurrentManagedThreadId;
                return new ModelSnapshot(7, [1, 2, 3]);
            });
        });
        training.Start();

        var snapshot = gate.Snapshot(TimeSpan.FromSeconds(10));
        Assert.Equal(7, snapshot!.Step);
        Assert.Equal(trainingThread, takenOn);
        Assert.True(training.IsAlive, "a snapshot does not release a held run");
        gate.Stop();
        Assert.True(training.Join(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Snapshot_AfterTheEnd_IsTheFinalModel_WithoutWaiting()
    {
        var gate = new StepGate(paused: false);
        gate.End(new ModelSnapshot(42, [9]));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(42, gate.Snapshot(TimeSpan.FromSeconds(10))!.Step);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void AtBoundary_HeldPastTheLimit_ReleasesAndCallsExpired()
    {
        int expired = 0;
        var gate = new StepGate(paused: true, TimeSpan.FromMilliseconds(150), () => expired++);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        gate.AtBoundary(() => null);
        Assert.InRange(clock.Elapsed.TotalMilliseconds, 140, 5000);
        Assert.Equal(1, expired);

        // Without a limit a held run waits for a command, however long.
        var unlimited = new StepGate(paused: true);
        var held = new Thread(() => unlimited.AtBoundary(() => null));
        held.Start();
        Assert.False(held.Join(300));
        unlimited.Resume();
        Assert.True(held.Join(5000));
    }
}
