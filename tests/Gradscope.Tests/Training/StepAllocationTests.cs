using Gradscope.Activations;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Tensors;
using Gradscope.Training;

namespace Gradscope.Tests.Training;

/// <summary>A steady-state training step allocates nothing, with and without the cheap monitor.</summary>
public sealed class StepAllocationTests
{
    private const int Steps = 50;

    public static TheoryData<string, int, bool> Configurations() => new()
    {
        { "sigmoid", 16, false },
        { "sigmoid", 16, true },
        { "relu", 16, false },
        { "relu", 16, true },
        { "tanh", 256, true }, // 64 x 256 x 256 products run on the GEMM workers
    };

    // Under a parallel test run another test may hold the GEMM workers, and a product then runs
    // serially on the trainer's thread: switching between the two ways must not grow a buffer.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainerStep_AllocatesNothing_WhenProductsSwitchBetweenParallelAndSerial(bool serialFirst)
    {
        // Both ways run once on a throwaway thread first, so that what a process does once (code
        // compiled and types loaded on the thread that first needs them) is not counted below.
        RunOnThread(() =>
        {
            var warm = WideTrainer(out var data, out int[] batch);
            foreach (bool serial in new[] { true, false })
            {
                GemmWorkers.SerialOnly = serial;
                for (int i = 0; i < 5; i++)
                    warm.Step(data, batch);
            }
        });

        // Then a thread of its own: GEMM buffers are per thread, so this one's are sized by one
        // way of running only, and must not grow when products switch to the other.
        long allocated = -1;
        RunOnThread(() =>
        {
            var trainer = WideTrainer(out var data, out int[] batch);
            GemmWorkers.SerialOnly = serialFirst;
            for (int i = 0; i < 5; i++)
                trainer.Step(data, batch);
            GemmWorkers.SerialOnly = !serialFirst;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++)
                trainer.Step(data, batch);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        Assert.Equal(0, allocated);
    }

    // A 20x64 network's batch runs as two halves, one on a GEMM worker. In turn, both halves run on
    // the measured thread; at once, the worker's allocations count too (GemmWorkers counts them).
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SplitBatchStep_AllocatesNothing_OnAnyThread(bool inTurn)
    {
        long allocated = -1;
        RunOnThread(() =>
        {
            GemmWorkers.SerialOnly = inTurn;
            var spec = new NetworkSpec(2, [64, 64, 64, 64], 2, Activation.Parse("sigmoid"));
            var model = spec.Build<float>(Initializer.Parse("he-normal"), new SeededRandom(1));
            var data = SyntheticData.Blobs(256, 2, 2, 0.5, seed: 2);
            var trainer = new Trainer<float>(
                model,
                Loss.Parse<float>("cross-entropy"),
                Optimizer.Create<float>("sgd", new OptimizerOptions { LearningRate = 0.1 }),
                new TrainerOptions { BatchSize = 128 });
            trainer.AddObserver(new GradientMonitor<float>(model, MonitorOptions.For(MonitorPreset.Cheap), expectedSteps: 4 * Steps));
            Assert.Equal(GemmWorkers.HasWorkers, trainer.SplitsBatches);
            int[] batch = Batch(128, stride: 2);
            for (int i = 0; i < 5; i++)
                trainer.Step(data, batch);

            // A test running alongside may make a worker size a buffer for a new shape while this
            // one measures: a count is taken as this step's only when it repeats.
            for (int attempt = 0; attempt < 3 && allocated != 0; attempt++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread() + GemmWorkers.WorkerAllocatedBytes;
                for (int i = 0; i < Steps; i++)
                    trainer.Step(data, batch);
                allocated = GC.GetAllocatedBytesForCurrentThread() + GemmWorkers.WorkerAllocatedBytes - before;
            }
        });
        Assert.Equal(0, allocated);
    }

    // Copy-task sequences (30 steps, a label per step) through stacked recurrent layers and a per-step head.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainerStep_ManyToManyRecurrent_AllocatesNothingInSteadyState(bool monitored)
    {
        const string Json = """{"layers":[{"type":"gru","hidden":16,"sequence":"all"},{"type":"lstm","hidden":16,"sequence":"all"}]}""";
        var data = Gradscope.Data.Sequences.SequenceTaskData.Create("copy", 10, 128, seed: 2);
        var spec = NetworkSpec.FromJson(Json, data.Sequence!.Features, data.ClassCount) with { Steps = data.Sequence.Steps };
        var model = spec.Build<float>(Initializer.Parse("glorot-uniform"), new SeededRandom(1));
        var trainer = new Trainer<float>(
            model,
            Loss.Parse<float>("cross-entropy"),
            Optimizer.Create<float>("adam", new OptimizerOptions { LearningRate = 0.01 }),
            new TrainerOptions { BatchSize = 32 });
        if (monitored)
            trainer.AddObserver(new GradientMonitor<float>(model, MonitorOptions.For(MonitorPreset.Cheap), expectedSteps: (3 * Steps) + 16));
        AssertSteadyStepsAllocateNothing(trainer, data, Batch(32, stride: 4));
    }

    private static void RunOnThread(Action body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
            throw new InvalidOperationException("The test thread failed.", failure);
    }

    private static Trainer<float> WideTrainer(out Dataset data, out int[] batch)
    {
        var spec = new NetworkSpec(20, [256, 256], 3, Activation.Parse("tanh"));
        var model = spec.Build<float>(Initializer.Parse("he-normal"), new SeededRandom(1));
        data = SyntheticData.Blobs(256, 3, 20, 0.5, seed: 2);
        batch = Batch(64, stride: 3);
        return new Trainer<float>(
            model,
            Loss.Parse<float>("cross-entropy"),
            Optimizer.Create<float>("sgd", new OptimizerOptions { LearningRate = 0.1 }),
            new TrainerOptions { BatchSize = 64 });
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void TrainerStep_AllocatesNothingInSteadyState(string activation, int width, bool monitored)
    {
        var spec = new NetworkSpec(20, [width, width, width], 3, Activation.Parse(activation));
        var model = spec.Build<float>(Initializer.Parse("he-normal"), new SeededRandom(1));
        var data = SyntheticData.Blobs(256, 3, 20, 0.5, seed: 2);
        var trainer = new Trainer<float>(
            model,
            Loss.Parse<float>("cross-entropy"),
            Optimizer.Create<float>("sgd", new OptimizerOptions { LearningRate = 0.1 }),
            new TrainerOptions { BatchSize = 64 });
        if (monitored)
            trainer.AddObserver(new GradientMonitor<float>(model, MonitorOptions.For(MonitorPreset.Cheap), expectedSteps: (3 * Steps) + 16)); // room for every measured window: a trace that grows allocates
        AssertSteadyStepsAllocateNothing(trainer, data, Batch(64, stride: 3));
    }

    // Rows 0, stride, 2 * stride, ... of the data set.
    private static int[] Batch(int size, int stride)
    {
        int[] batch = new int[size];
        for (int i = 0; i < batch.Length; i++)
            batch[i] = i * stride;
        return batch;
    }

    // Five warm-up steps, then windows of Steps steps. The runtime may allocate on this thread once
    // while the steps' code is recompiled at a higher tier (seen as about 1 KB in one window on a
    // loaded CI machine): a step that allocates would do so in every window, so the step passes
    // when one of three windows allocates nothing.
    private static void AssertSteadyStepsAllocateNothing(Trainer<float> trainer, Dataset data, int[] batch)
    {
        for (int i = 0; i < 5; i++)
            trainer.Step(data, batch);
        long allocated = -1;
        double loss = 0;
        for (int attempt = 0; attempt < 3 && allocated != 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Steps; i++)
                loss = trainer.Step(data, batch);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.True(double.IsFinite(loss), $"loss {loss}");
        Assert.Equal(0, allocated);
    }
}
