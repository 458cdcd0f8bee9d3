using Gradscope.Lab.Runs;
using Gradscope.Memory;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Runs;

public sealed class RunMemoryTests
{
    [Fact]
    public void PreparedRun_TooLargeForTheLimit_IsRefusedBeforeTheNetworkIsBuilt()
    {
        var config = new TestFlags { Hidden = [2000, 2000], Epochs = 1 };
        using var limit = MemoryBudget.Override(20_000_000);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<MemoryLimitException>(() => PreparedRun<float>.Create(config));

        Assert.StartsWith("this run needs about ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(parameters 16.", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("but 20.0 MB are allowed by GRADSCOPE_MEMORY_LIMIT.", ex.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2_000_000, "the 16 MB of weights were not allocated");
    }

    [Fact]
    public void PreparedRun_BatchLargerThanTheData_TrainsOnAllRowsAtOnce()
    {
        var config = new TestFlags { Hidden = [8], Epochs = 2, BatchSize = 1_000_000_000 };

        var run = PreparedRun<float>.Create(config);
        var result = run.Trainer.Train(run.Train, run.Test);

        Assert.Equal(TrainingStatus.Completed, result.Status);
        Assert.Equal(2, result.Steps);
    }

    [Fact]
    public void Estimate_OfARun_CountsTheMonitorAndTheDataCopies()
    {
        RunSpec config = new TestFlags { Hidden = [16], Epochs = 3, BatchSize = 100 };
        var spec = config.NetworkFor(2, 3);

        var estimate = RunMemory.Estimate(config, spec, 1000, MemoryEstimate.DataSetBytes(1000, 2) * RunMemory.DataCopies(config));

        Assert.Equal(3 * ((1000 * 2 * 8) + (1000 * 4)), estimate.Data);
        long trace = ((11 * 2) + 1) * 30 * 8; // 11 statistics of 2 dense layers and the loss, 10 steps per epoch
        long weights = ((2 * 16) + (16 * 3)) * 4;
        Assert.Equal(trace + weights + (16 * 4), estimate.Monitor);
    }
}
