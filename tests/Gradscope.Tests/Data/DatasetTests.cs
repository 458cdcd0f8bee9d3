using Gradscope.Data;

namespace Gradscope.Tests.Data;

public class DatasetTests
{
    // 4 rows x 2 features: row i is (i, 10 i), labels 0 1 0 1.
    private static Dataset Small() => new("small", [0, 0, 1, 10, 2, 20, 3, 30], [0, 1, 0, 1], 2, 2);

    [Fact]
    public void Constructor_SetsShapeAndDefaultNames()
    {
        var data = Small();
        Assert.Equal(4, data.Count);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal(2, data.ClassCount);
        Assert.Equal(["x0", "x1"], data.FeatureNames);
        Assert.Equal(["0", "1"], data.ClassNames);
        Assert.Equal([2, 2], data.ClassCounts());
        Assert.Equal([2.0, 20.0], data.Row(2).ToArray());
    }

    [Fact]
    public void Constructor_NaNFeature_NamesRowAndColumn()
    {
        var e = Assert.Throws<GradscopeException>(() => new Dataset("d", [0, 0, 1, double.NaN], [0, 1], 2, 2, ["a", "b"]));
        Assert.Equal("Data set 'd': row 1, column 1 ('b') is NaN; features must be finite numbers (rows and columns count from 0).", e.Message);
    }

    [Fact]
    public void Constructor_InfiniteFeature_Throws()
    {
        var e = Assert.Throws<GradscopeException>(() => new Dataset("d", [double.NegativeInfinity, 0], [0], 2, 1));
        Assert.Contains("row 0, column 0 ('x0') is -Infinity;", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_LabelOutOfRange_Throws()
    {
        var e = Assert.Throws<GradscopeException>(() => new Dataset("d", [0, 1], [0, 2], 1, 2));
        Assert.Equal("Data set 'd': row 1 has label 2, outside [0, 2) for 2 classes.", e.Message);
    }

    [Fact]
    public void Constructor_LengthMismatch_Throws()
    {
        var e = Assert.Throws<GradscopeException>(() => new Dataset("d", [0, 1, 2], [0, 1], 2, 2));
        Assert.Equal("Data set 'd': 2 rows of 2 features need 4 values, got 3.", e.Message);
    }

    [Fact]
    public void Constructor_WrongClassNameCount_Throws()
    {
        var e = Assert.Throws<GradscopeException>(() => new Dataset("d", [0], [0], 1, 2, null, ["only"]));
        Assert.Equal("Data set 'd': 2 classes but 1 class names.", e.Message);
    }

    [Fact]
    public void Subset_CopiesRowsInOrder()
    {
        var sub = Small().Subset([3, 1, 3]);
        Assert.Equal([3.0, 30, 1, 10, 3, 30], sub.Features);
        Assert.Equal([1, 1, 1], sub.Labels);
        Assert.Equal(2, sub.ClassCount);
    }

    [Fact]
    public void Split_SizesAreDisjointAndDeterministic()
    {
        var data = new Dataset("d", Enumerable.Range(0, 10).Select(i => (double)i).ToArray(), new int[10], 1, 1);
        var (train, test) = data.Split(0.25, seed: 7);
        Assert.Equal(7, train.Count);
        Assert.Equal(3, test.Count); // 2.5 rounds up
        var all = train.Features.Concat(test.Features).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (double)i), all);

        var (train2, test2) = data.Split(0.25, seed: 7);
        Assert.Equal(test.Features, test2.Features);
        Assert.Equal(train.Features, train2.Features);
        var (_, test3) = data.Split(0.25, seed: 8);
        Assert.NotEqual(test.Features, test3.Features);
    }

    [Fact]
    public void Split_TinyFractionStillLeavesOneTestRow()
    {
        var (train, test) = Small().Subset([0, 1]).Split(0.01, 1);
        Assert.Equal(1, train.Count);
        Assert.Equal(1, test.Count);
        var (train4, test4) = Small().Split(0.99, 1);
        Assert.Equal(1, train4.Count);
        Assert.Equal(3, test4.Count);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Split_BadFraction_Throws(double fraction)
    {
        var e = Assert.Throws<GradscopeException>(() => Small().Split(fraction, 1));
        Assert.StartsWith("The test fraction must be between 0 and 1 (exclusive), got ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CopyRows_Double_CopiesExactly()
    {
        var destination = new double[6];
        Small().CopyRows<double>([2, 0, 3], destination);
        Assert.Equal([2.0, 20, 0, 0, 3, 30], destination);
    }

    [Fact]
    public void CopyRows_Float_ConvertsAndLeavesTheRestAlone()
    {
        var data = new Dataset("d", [0.1, -1e-3, 123456.789, 2], [0, 0], 2, 1);
        var destination = new float[5];
        destination[4] = 42f;
        data.CopyRows<float>([1, 0], destination);
        Assert.Equal([123456.789f, 2f, 0.1f, -1e-3f, 42f], destination);
    }

    [Fact]
    public void CopyRows_AllocatesNothing()
    {
        var data = SyntheticData.Blobs(256, 3, 17, 1.0, 1);
        int[] indices = [.. Enumerable.Range(0, 64).Select(i => (i * 37) % 256)];
        var floats = new float[64 * 17];
        var doubles = new double[64 * 17];
        var labels = new int[64];
        data.CopyRows<float>(indices, floats);
        data.CopyRows<double>(indices, doubles);
        data.CopyLabels(indices, labels);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            data.CopyRows<float>(indices, floats);
            data.CopyRows<double>(indices, doubles);
            data.CopyLabels(indices, labels);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal((float)data.Features[(37 * 17) + 5], floats[17 + 5]);
        Assert.Equal(data.Labels[37], labels[1]);
    }

    [Fact]
    public void CopyRows_ShortDestination_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Small().CopyRows<float>([0, 1], new float[3]));
        Assert.StartsWith("Destination holds 3 elements; 4 are needed.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CopyRows_BadIndex_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Small().CopyRows<double>([4], new double[2]));
        Assert.Equal(4, e.ActualValue);
    }
}
