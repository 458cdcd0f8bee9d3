using Gradscope.Data;

namespace Gradscope.Tests.Data;

public class StandardizerTests
{
    [Fact]
    public void Fit_ComputesPopulationMeanAndStd()
    {
        // Column 0: 1 2 3 4 (mean 2.5, population variance 1.25); column 1 constant 7.
        var data = new Dataset("d", [1, 7, 2, 7, 3, 7, 4, 7], [0, 0, 0, 0], 2, 1);
        var standardizer = data.FitStandardizer();
        Assert.Equal([2.5, 7.0], standardizer.Means);
        Assert.Equal(Math.Sqrt(1.25), standardizer.Deviations[0], 15);
        Assert.Equal(1.0, standardizer.Deviations[1]);
    }

    [Fact]
    public void Apply_GivesZeroMeanUnitStd()
    {
        var data = SyntheticData.Blobs(300, 3, 4, 2.0, 5);
        var scaled = data.FitStandardizer().Apply(data);
        var again = scaled.FitStandardizer();
        for (int col = 0; col < 4; col++)
        {
            Assert.Equal(0.0, again.Means[col], 12);
            Assert.Equal(1.0, again.Deviations[col], 12);
        }

        Assert.Equal(data.Labels, scaled.Labels);
        Assert.NotSame(data.Labels, scaled.Labels);
    }

    [Fact]
    public void Apply_ConstantNoisyMeanColumn_MapsToZero()
    {
        // 0.1 summed ten times is not exactly 1.0: the mean differs from 0.1 by rounding.
        var data = new Dataset("d", Enumerable.Repeat(0.1, 10).ToArray(), new int[10], 1, 1);
        var scaled = data.FitStandardizer().Apply(data);
        Assert.Equal(1.0, data.FitStandardizer().Deviations[0]);
        Assert.True(Math.Abs(scaled.Features[0]) < 1e-15, $"got {scaled.Features[0]}");
    }

    [Fact]
    public void Apply_KnownValues()
    {
        var standardizer = new Standardizer([1.0, -2.0], [2.0, 0.5]);
        var scaled = standardizer.Apply(new Dataset("d", [3, -2, 1, -1], [0, 0], 2, 1));
        Assert.Equal([1.0, 0.0, 0.0, 2.0], scaled.Features);
    }

    [Fact]
    public void Apply_FeatureCountMismatch_Throws()
    {
        var standardizer = new Standardizer([0.0], [1.0]);
        var e = Assert.Throws<GradscopeException>(() => standardizer.Apply(new Dataset("wide", [1, 2], [0], 2, 1)));
        Assert.Equal("Standardizer was fitted on 1 features; data set 'wide' has 2.", e.Message);
    }

    [Fact]
    public void Fit_EmptyDataset_Throws()
    {
        var e = Assert.Throws<GradscopeException>(() => new Dataset("none", [], [], 3, 1).FitStandardizer());
        Assert.Equal("Data set 'none' has no rows to fit a standardizer on.", e.Message);
    }
}
