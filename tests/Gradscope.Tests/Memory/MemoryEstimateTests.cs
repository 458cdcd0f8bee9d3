using System.Numerics;
using Gradscope.Activations;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Losses;
using Gradscope.Memory;
using Gradscope.Optimizers;
using Gradscope.Tensors;
using Gradscope.Training;

namespace Gradscope.Tests.Memory;

/// <summary>
/// The estimate against the bytes really allocated. Alone in its collection: the engine's worker
/// threads count their allocations process-wide, and another test's products would be counted too.
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class MemoryEstimateTests
{
    public static TheoryData<string> Configurations => ["mlp-adam-f32", "residual-norm-dropout-momentum-f64", "deep-narrow-split-sgd-f32", "mlp-monitored-f32"];

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Estimate_IsNeverBelowWhatTrainingAllocates_AndWithinHalfAgain(string name)
    {
        var (spec, shape, isDouble) = Configuration(name);
        long allocated = isDouble ? Allocated<double>(spec, shape) : Allocated<float>(spec, shape);
        long estimate = MemoryEstimate.For(spec, shape).Model;

        Console.WriteLine($"memory estimate {name}: estimated {estimate} bytes, allocated {allocated}, ratio {(double)estimate / allocated:F3}");
        Assert.True(estimate >= allocated, $"{name}: estimated {estimate} bytes, allocated {allocated}");
        Assert.True(estimate <= 1.5 * allocated, $"{name}: estimated {estimate} bytes, allocated {allocated}");
    }

    [Fact]
    public void MonitorStatisticsPerLayer_IsWhatTheMonitorRecords()
    {
        // The estimate cannot ask the monitor (training sits below diagnostics), so it keeps its own count.
        Assert.Equal(MemoryEstimate.MonitorStatisticsPerLayer, LayerStatNames.Count);
    }

    [Fact]
    public void Estimate_CountsEachOptimizersBuffers()
    {
        var spec = new NetworkSpec(100, [1000], 10, Activation.Parse("relu"));
        long parameters = (100 * 1000) + 1000 + (1000 * 10) + 10;
        long State(string optimizer, double? decay = null) =>
            MemoryEstimate.For(spec, new MemoryShape { Optimizer = optimizer, WeightDecay = decay, SplitBatch = false }).OptimizerState;

        Assert.Equal(0, State("sgd"));
        Assert.Equal(parameters * 4, State("momentum"));
        Assert.Equal(parameters * 4 * 2, State("nesterov"));
        Assert.Equal(parameters * 4 * 3, State("adam"));
        Assert.Equal(parameters * 4 * 4, State("adam", 0.01));
        Assert.Equal(parameters * 4 * 3, State("adamw", 0.01));
        Assert.Equal(0, MemoryEstimate.For(spec, new MemoryShape { Optimizer = null }).OptimizerState);
    }

    [Fact]
    public void Ensure_OverTheLimit_SaysWhatItNeedsAndWhatThereIs()
    {
        var spec = new NetworkSpec(2, [2000, 2000], 3, Activation.Parse("relu"));
        using var limit = MemoryBudget.Override(10_000_000);

        var ex = Assert.Throws<MemoryLimitException>(() => MemoryEstimate.For(spec, new MemoryShape { ElementSize = 8 }).Ensure("this run"));

        // The workspace (GEMM packing buffers) depends on the number of cores.
        Assert.StartsWith("this run needs about ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("parameters 32.1 MB, gradients 32.1 MB, workspace ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("but 10.0 MB are allowed by GRADSCOPE_MEMORY_LIMIT.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ensure_AnArrayLargerThanDotNetAllows_NamesIt()
    {
        var spec = new NetworkSpec(2, [100_000, 100_000], 3, Activation.Parse("relu"));

        var ex = Assert.Throws<GradscopeException>(() => MemoryEstimate.For(spec, new MemoryShape()).Ensure("this run"));

        Assert.IsNotType<MemoryLimitException>(ex);
        Assert.Equal($"this run needs the weights of dense layer 2 (100000x100000) as one array of 10000000000 values, more than the {Array.MaxLength} an array can hold.", ex.Message);
    }

    private static (NetworkSpec Spec, MemoryShape Shape, bool IsDouble) Configuration(string name) => name switch
    {
        "mlp-adam-f32" => (new NetworkSpec(512, [2048, 2048], 10, Activation.Parse("relu")), new MemoryShape { BatchSize = 64, Optimizer = "adam" }, false),
        "residual-norm-dropout-momentum-f64" => (
            new NetworkSpec(256, [1024, 1024, 1024], 10, Activation.Parse("tanh")) { Norm = NormKind.Batch, Residual = ResidualStyle.PreActivation, Dropout = 0.1 },
            new MemoryShape { BatchSize = 128, ElementSize = 8, Optimizer = "momentum", WeightDecay = 1e-4 }, true),
        "deep-narrow-split-sgd-f32" => (new NetworkSpec(32, Enumerable.Repeat(256, 20).ToArray(), 4, Activation.Parse("sigmoid")), new MemoryShape { BatchSize = 64 }, false),
        _ => (new NetworkSpec(512, [2048, 2048], 10, Activation.Parse("relu")), new MemoryShape { BatchSize = 64, MonitorSteps = 256 }, false),
    };

    // Builds the network, trainer (and monitor) and takes two steps (the optimizer's buffers come
    // with the first) on a fresh thread, whose GEMM buffers are its own; counts that thread's
    // allocations and the engine's worker threads'.
    private static long Allocated<T>(NetworkSpec spec, MemoryShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = RandomData(spec.InputSize, spec.OutputSize, shape.BatchSize);
        var batch = Enumerable.Range(0, shape.BatchSize).ToArray();
        long allocated = 0;
        var thread = new Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread() + GemmWorkers.WorkerAllocatedBytes;
            var network = spec.Build<T>(Initializer.Parse("glorot-uniform"), new SeededRandom(1));
            var optimizer = Optimizer.Create<T>(shape.Optimizer!, new OptimizerOptions { LearningRate = 0.01, WeightDecay = shape.WeightDecay });
            var trainer = new Trainer<T>(network, Loss.Parse<T>("cross-entropy"), optimizer, new TrainerOptions { BatchSize = shape.BatchSize, SplitBatch = shape.SplitBatch });
            if (shape.MonitorSteps > 0)
                trainer.AddObserver(new GradientMonitor<T>(network, MonitorOptions.For(MonitorPreset.Cheap), shape.MonitorSteps));
            trainer.Step(data, batch);
            trainer.Step(data, batch);
            allocated = GC.GetAllocatedBytesForCurrentThread() + GemmWorkers.WorkerAllocatedBytes - before;
        });
        thread.Start();
        thread.Join();
        return allocated;
    }

    private static Dataset RandomData(int features, int classes, int rows)
    {
        var rng = new SeededRandom(2);
        var x = new double[rows * features];
        for (int i = 0; i < x.Length; i++)
            x[i] = rng.NextGaussian();
        var y = new int[rows];
        for (int i = 0; i < rows; i++)
            y[i] = i % classes;
        return new Dataset("random", x, y, features, classes);
    }
}

/// <summary>Tests that count the process's allocations or change its memory limit: run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "Memory (not parallel)";
}
