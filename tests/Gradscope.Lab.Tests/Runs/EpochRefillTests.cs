using Gradscope.Data;
using Gradscope.Lab.Runs;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Runs;

/// <summary>The trainer asks a data set with fresh rows for each epoch's draw, once per epoch, and the run stays reproducible.</summary>
public sealed class EpochRefillTests
{
    private static TestFlags TemporalOrder(int seed = 3) => new()
    {
        Data = "temporal-order",
        DataOptions = new DataOptions { SequenceLength = 10, Count = 64 },
        Hidden = [16],
        Activation = "tanh",
        Optimizer = "adam",
        Epochs = 3,
        BatchSize = 16,
        Standardize = false,
        Seed = seed,
    };

    [Fact]
    public void Train_CallsTheRefillOncePerEpochInOrder()
    {
        var spiral = Gradscope.Data.Catalog.DatasetCatalog.Load("spiral", new DataOptions { Count = 60 });
        var counting = new CountingRefill();
        var train = new Dataset(spiral.Name, spiral.Features, spiral.Labels, spiral.FeatureCount, spiral.ClassCount) { EpochRefill = counting };
        var run = PreparedRun<double>.Create(new TestFlags { Data = "spiral", Hidden = [8], Epochs = 4, BatchSize = 16 }, train, null, null, new NetworkSpec(2, [8], 3, Gradscope.Activations.Activation.Parse("tanh")), BuildNetwork());

        run.Trainer.Train(train);

        Assert.Equal([0, 1, 2, 3], counting.Epochs);
    }

    [Fact]
    public void Train_MaxStepsEndingAnEpoch_DoesNotRefillForTheEpochThatNeverRuns()
    {
        var spiral = Gradscope.Data.Catalog.DatasetCatalog.Load("spiral", new DataOptions { Count = 60 });
        var counting = new CountingRefill();
        var train = new Dataset(spiral.Name, spiral.Features, spiral.Labels, spiral.FeatureCount, spiral.ClassCount) { EpochRefill = counting };
        RunSpec config = new TestFlags { Data = "spiral", Hidden = [8], Epochs = 10, BatchSize = 16, MaxSteps = 8 };
        var run = PreparedRun<double>.Create(config, train, null, null, new NetworkSpec(2, [8], 3, Gradscope.Activations.Activation.Parse("tanh")), BuildNetwork());

        var result = run.Trainer.Train(train);

        Assert.Equal(8, result.Steps);
        Assert.Equal([0, 1], counting.Epochs);
    }

    [Fact]
    public void Train_SequenceTask_DrawsFreshTrainingRowsAndKeepsTheTestRows()
    {
        var run = PreparedRun<float>.Create(TemporalOrder());
        var epoch0 = (double[])run.Train.Features.Clone();
        var test = (double[])run.Test!.Features.Clone();

        run.Trainer.Train(run.Train, run.Test);

        Assert.NotNull(run.Train.EpochRefill);
        Assert.Equal(64, run.Train.Count);
        Assert.Equal(13, run.Test.Count);
        Assert.False(epoch0.AsSpan().SequenceEqual(run.Train.Features), "the last epoch trained on epoch 0's rows");
        Assert.Equal(test, run.Test.Features);
    }

    [Fact]
    public void Train_SequenceTaskSameSeed_GivesIdenticalRuns()
    {
        var a = PreparedRun<float>.Create(TemporalOrder());
        var b = PreparedRun<float>.Create(TemporalOrder());
        var ra = a.Trainer.Train(a.Train, a.Test);
        var rb = b.Trainer.Train(b.Train, b.Test);

        Assert.Equal(ra.Final!.TestLoss, rb.Final!.TestLoss);
        for (int p = 0; p < a.Network.Parameters.Count; p++)
            Assert.True(a.Network.Parameters[p].Value.Span.SequenceEqual(b.Network.Parameters[p].Value.Span), $"parameter {p} differs");
    }

    private static Gradscope.Layers.Sequential<double> BuildNetwork() =>
        new NetworkSpec(2, [8], 3, Gradscope.Activations.Activation.Parse("tanh")).Build<double>(Gradscope.Initialization.Initializer.Parse("glorot-uniform"), new SeededRandom(1));

    private sealed class CountingRefill : IEpochRefill
    {
        public List<int> Epochs { get; } = [];

        public void Refill(int epoch) => Epochs.Add(epoch);

        public Dataset DrawHeldOut(int count) => throw new NotSupportedException();
    }
}
