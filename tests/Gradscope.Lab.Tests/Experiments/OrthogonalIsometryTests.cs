using Gradscope.Activations;
using Gradscope.Lab.Experiments;
using Gradscope.Theory;

namespace Gradscope.Lab.Tests.Experiments;

public sealed class OrthogonalIsometryTests
{
    private static readonly Activation Tanh = Activation.Parse("tanh");

    // Equal singular values: every sigma^2 is the mean, no variance.
    [Fact]
    public void Measured_EqualSingularValues_IsZero() =>
        Assert.Equal(0.0, JacobianSpread.Measured([2.0, 2.0, 2.0, 2.0]), 15);

    // sigma = 1 and sqrt(3): lambda = 1 and 3, mean 2, variance 1, spread 1 / 4.
    [Fact]
    public void Measured_TwoValues_IsVarianceOverSquaredMean() =>
        Assert.Equal(0.25, JacobianSpread.Measured([1.0, Math.Sqrt(3)]), 12);

    // In the linear regime (phi' = 1: mu_1 = mu_2 = 1) only the weights spread the spectrum: one
    // Gaussian layer gives Marchenko-Pastur's 1, orthogonal 0, and L layers add up.
    [Theory]
    [InlineData(1, WeightDistribution.Gaussian, 1.0)]
    [InlineData(1, WeightDistribution.Orthogonal, 0.0)]
    [InlineData(10, WeightDistribution.Gaussian, 10.0)]
    public void Predicted_LinearRegime_IsDepthTimesWeightVariance(int depth, WeightDistribution weights, double expected) =>
        Assert.Equal(expected, JacobianSpread.Predicted(depth, 1.0, 1.0, weights), 12);

    // mu_2 / mu_1^2 - 1 = 0.5 / 0.25 - 1 = 1 per layer from the derivatives (ReLU's), added to the weights'.
    [Fact]
    public void Predicted_AddsTheDerivativesVariance() =>
        Assert.Equal(3 * (1 + 1.0), JacobianSpread.Predicted(3, 0.5, 0.5, WeightDistribution.Gaussian), 12);

    // A real network: tanh at criticality with sigma_b^2 = 1e-4 (q* about 0.046) has phi' close to 1,
    // so two Gaussian layers spread the spectrum by about 2 (1 per layer, Marchenko-Pastur) and two
    // orthogonal layers only by the derivatives' 2 (mu_2 / mu_1^2 - 1), about 0.023. Width 128 and
    // one network leave fluctuations of some percent; the bounds allow for them.
    [Fact]
    public void MeasureCell_TwoLayers_MatchesFreeProbability()
    {
        double weightVariance = MeanField.CriticalWeightVariance(Tanh, IsometryPlan.BiasVariance)!.Value;
        var meanField = new MeanField(Tanh, weightVariance, IsometryPlan.BiasVariance);
        double mu1 = meanField.DerivativeMoment(2), mu2 = meanField.DerivativeMoment(4);
        var gaussian = OrthogonalIsometryExperiment.MeasureCell(Tanh, weightVariance, 128, 2, WeightDistribution.Gaussian, 1);
        var orthogonal = OrthogonalIsometryExperiment.MeasureCell(Tanh, weightVariance, 128, 2, WeightDistribution.Orthogonal, 1);
        double gaussianPredicted = JacobianSpread.Predicted(2, mu1, mu2, WeightDistribution.Gaussian);
        double orthogonalPredicted = JacobianSpread.Predicted(2, mu1, mu2, WeightDistribution.Orthogonal);
        Assert.InRange(gaussian.Spread, 0.8 * gaussianPredicted, 1.2 * gaussianPredicted);
        Assert.InRange(orthogonal.Spread, 0.5 * orthogonalPredicted, 1.5 * orthogonalPredicted);
        Assert.InRange(orthogonal.Log10Condition, 0, 0.5);
    }

    [Fact]
    public void GaussianGrowth_PassesOnlyWhenRisingByTheFactor()
    {
        int[] depths = [10, 50, 200];
        Assert.True(IsometryExpectations.GaussianGrowth(depths, [1.0, 4.0, 6.0], 5).Passed);
        Assert.False(IsometryExpectations.GaussianGrowth(depths, [1.0, 4.0, 4.5], 5).Passed);
        Assert.False(IsometryExpectations.GaussianGrowth(depths, [1.0, 7.0, 6.0], 5).Passed);
    }

    // Slopes from L = 10 to 200: Gaussian (100 - 10) / 190, orthogonal (2 - 0.1) / 190, a fiftieth of it;
    // an orthogonal spread rising half as fast as the Gaussian's fails.
    [Fact]
    public void OrthogonalGrowth_ComparesSlopesNotFactors()
    {
        int[] depths = [10, 200];
        Assert.True(IsometryExpectations.OrthogonalGrowth(depths, [10.0, 100.0], [0.1, 2.0]).Passed);
        Assert.False(IsometryExpectations.OrthogonalGrowth(depths, [10.0, 100.0], [1.0, 46.0]).Passed);
    }

    [Fact]
    public void OrthogonalMatchesTheory_FailsWhenOneDepthIsOffByMoreThanTheTolerance()
    {
        int[] depths = [10, 200];
        Assert.True(IsometryExpectations.OrthogonalMatchesTheory(depths, [0.11, 2.4], [0.1, 2.0], 0.25).Passed);
        Assert.False(IsometryExpectations.OrthogonalMatchesTheory(depths, [0.11, 2.6], [0.1, 2.0], 0.25).Passed);
    }
}
