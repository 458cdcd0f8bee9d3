using Gradscope.Data;
using Gradscope.Data.Sequences;

namespace Gradscope.Tests.Data.Sequences;

/// <summary>The built-in sequence tasks never run out: fresh rows each epoch, a fixed held-out set, all from the seed.</summary>
public sealed class FreshTaskDataTests
{
    [Theory]
    [InlineData("adding")]
    [InlineData("temporal-order")]
    public void Refill_NextEpoch_DrawsOtherRowsInPlace(string task)
    {
        var data = SequenceTaskData.Create(task, 10, 32, seed: 5);
        double[] features = data.Features;
        var epoch0 = (double[])features.Clone();

        data.EpochRefill!.Refill(1);

        Assert.Same(features, data.Features);
        Assert.False(epoch0.AsSpan().SequenceEqual(data.Features), "epoch 1's rows equal epoch 0's");
    }

    [Fact]
    public void Refill_SameSeedAndEpoch_GivesIdenticalRows()
    {
        var a = SequenceTaskData.Create("adding", 10, 32, seed: 5);
        var b = SequenceTaskData.Create("adding", 10, 32, seed: 5);
        a.EpochRefill!.Refill(3);
        b.EpochRefill!.Refill(3);

        Assert.Equal(a.Features, b.Features);
        Assert.Equal(a.Regression!.Values, b.Regression!.Values);
    }

    [Fact]
    public void Refill_BackToEpochZero_RestoresTheFirstDraw()
    {
        var data = SequenceTaskData.Create("temporal-order", 10, 32, seed: 9);
        var features = (double[])data.Features.Clone();
        var labels = (int[])data.Labels.Clone();

        data.EpochRefill!.Refill(1);
        Assert.False(labels.AsSpan().SequenceEqual(data.Labels) && features.AsSpan().SequenceEqual(data.Features));
        data.EpochRefill.Refill(0);

        Assert.Equal(features, data.Features);
        Assert.Equal(labels, data.Labels);
    }

    [Fact]
    public void Refill_RegressionTask_RefreshesTheTargetsWithTheInputs()
    {
        var data = SequenceTaskData.Create("adding", 10, 16, seed: 2);
        var targets = (double[])data.Regression!.Values.Clone();

        data.EpochRefill!.Refill(1);

        Assert.False(targets.AsSpan().SequenceEqual(data.Regression.Values));
        for (int row = 0; row < data.Count; row++)
            Assert.Equal(AddingTarget(data, row), data.Regression.Values[row], 12);
    }

    [Fact]
    public void Split_FreshSet_KeepsEveryRowAndDrawsAFixedHeldOutSet()
    {
        var data = SequenceTaskData.Create("temporal-order", 10, 40, seed: 4);

        var (train, test) = data.Split(0.25, seed: 4);
        var heldOut = (double[])test.Features.Clone();
        data.EpochRefill!.Refill(1);
        var (_, again) = data.Split(0.25, seed: 4);

        Assert.Same(data, train);
        Assert.Equal(10, test.Count);
        Assert.Null(test.EpochRefill);
        Assert.Equal(heldOut, test.Features);
        Assert.Equal(heldOut, again.Features);
        Assert.False(heldOut.AsSpan().SequenceEqual(data.Features.AsSpan(0, heldOut.Length)), "the held-out rows are an epoch's rows");
    }

    [Fact]
    public void Standardize_FreshSet_AppliesTheFirstDrawsStatisticsToLaterDraws()
    {
        var raw = SequenceTaskData.Create("temporal-order", 10, 64, seed: 6);
        var standardizer = raw.FitStandardizer();
        var standardized = standardizer.Apply(raw);

        standardized.EpochRefill!.Refill(2);

        Assert.False(ReferenceEquals(raw.Features, standardized.Features));
        Assert.Equal(raw.Labels, standardized.Labels);
        for (int i = 0; i < raw.Features.Length; i++)
        {
            int col = i % raw.FeatureCount;
            double expected = (raw.Features[i] - standardizer.Means[col]) / standardizer.Deviations[col];
            Assert.Equal(expected, standardized.Features[i], 12);
        }
    }

    [Fact]
    public void Refill_AfterTheFirst_AllocatesOnlyItsRandomGenerator()
    {
        var data = SequenceTaskData.Create("temporal-order", 20, 512, seed: 1);
        data.EpochRefill!.Refill(1);

        long before = GC.GetAllocatedBytesForCurrentThread();
        data.EpochRefill.Refill(2);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // 512 sequences of 20 steps are 160 KB; a System.Random is a few hundred bytes.
        Assert.True(allocated < 1024, $"a refill allocated {allocated} bytes");
    }

    [Fact]
    public void Subset_FreshSet_HasFixedRows()
    {
        var data = SequenceTaskData.Create("adding", 10, 8, seed: 1);

        Assert.Null(data.Subset([0, 1, 2]).EpochRefill);
    }

    // The adding problem's target: 0.5 + (sum of the two marked values) / 4, from the row itself.
    private static double AddingTarget(Dataset data, int row)
    {
        var x = data.Row(row);
        double sum = 0;
        for (int t = 0; t < data.Sequence!.Steps; t++)
        {
            if (x[(2 * t) + 1] == 1)
                sum += x[2 * t];
        }

        return 0.5 + (sum / 4);
    }
}
