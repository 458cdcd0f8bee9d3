using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Tests.Layers;

public sealed class BatchNormTests
{
    [Fact]
    public void BatchNorm_EvalAfterTwoBatches_UsesRunningStatisticsComputedByHand()
    {
        var norm = new BatchNorm<double>(2);
        norm.Forward(Rows([1, 2], [3, 6], [5, 10]), training: true);
        norm.Forward(Rows([0, -1], [2, 3]), training: true);
        norm.Weight.Value[0, 0] = 2;
        norm.Weight.Value[0, 1] = 0.5;
        norm.Bias.Value[0, 0] = 0.1;
        norm.Bias.Value[0, 1] = -0.2;

        var y = norm.Forward(Rows([1, 1]), training: false);

        // Batch 1: mean (3, 6), unbiased variance (8, 32) / 2 = (4, 16).
        // Batch 2: mean (1, 1), unbiased variance (2, 8) / 1 = (2, 8).
        // running_mean = 0.9 (0.9 * 0 + 0.1 * (3, 6)) + 0.1 * (1, 1) = (0.37, 0.64)
        // running_var  = 0.9 (0.9 * 1 + 0.1 * (4, 16)) + 0.1 * (2, 8) = (1.37, 3.05)
        Assert.Equal(0.37, norm.RunningMean[0, 0], 12);
        Assert.Equal(0.64, norm.RunningMean[0, 1], 12);
        Assert.Equal(1.37, norm.RunningVariance[0, 0], 12);
        Assert.Equal(3.05, norm.RunningVariance[0, 1], 12);
        Assert.Equal(2, norm.BatchesTracked);
        Assert.Equal((2 * (1 - 0.37) / Math.Sqrt(1.37 + 1e-5)) + 0.1, y[0, 0], 12);
        Assert.Equal((0.5 * (1 - 0.64) / Math.Sqrt(3.05 + 1e-5)) - 0.2, y[0, 1], 12);
    }

    [Fact]
    public void BatchNorm_Training_NormalizesEachFeatureToZeroMeanUnitVariance()
    {
        var norm = new BatchNorm<double>(2);
        var y = norm.Forward(Rows([1, 2], [3, 6], [5, 10]), training: true);

        // Feature 0: (x - 3) / sqrt(8/3 + eps).
        Assert.Equal(-2 / Math.Sqrt((8.0 / 3) + 1e-5), y[0, 0], 12);
        Assert.Equal(0, y[1, 1], 12);
        Assert.Equal(4 / Math.Sqrt((32.0 / 3) + 1e-5), y[2, 1], 12);
    }

    [Fact]
    public void BatchNorm_TrainingBatchOfOneRow_OutputsBetaAndKeepsRunningStatistics()
    {
        var norm = new BatchNorm<double>(2);
        norm.Bias.Value[0, 1] = 0.5;

        var y = norm.Forward(Rows([4, 7]), training: true);

        Assert.Equal(0, y[0, 0]);
        Assert.Equal(0.5, y[0, 1]);
        Assert.Equal(0, norm.RunningMean[0, 0]);
        Assert.Equal(1, norm.RunningVariance[0, 1]);
        Assert.Equal(0, norm.BatchesTracked);
    }

    [Fact]
    public void BatchNorm_BackwardAfterEvaluation_IsTheAffineSlope()
    {
        var norm = new BatchNorm<double>(1);
        norm.RunningVariance[0, 0] = 4;
        norm.Weight.Value[0, 0] = 3;
        norm.Forward(Rows([1], [2]), training: false);

        var dx = norm.Backward(Rows([1], [-2]));

        Assert.Equal(3 / Math.Sqrt(4 + 1e-5), dx[0, 0], 12);
        Assert.Equal(-6 / Math.Sqrt(4 + 1e-5), dx[1, 0], 12);
    }

    [Fact]
    public void BatchNorm_WrongWidth_ThrowsWithBothWidths()
    {
        var norm = new BatchNorm<float>(3);
        var ex = Assert.Throws<GradscopeException>(() => norm.Forward(new Matrix<float>(2, 4), training: true));
        Assert.Equal("batchnorm layer expects input with 3 features but got 4.", ex.Message);
    }

    [Fact]
    public void BatchNorm_Parameters_AreGammaAndBetaOnly()
    {
        var norm = new BatchNorm<float>(3);
        Assert.Equal(["weight", "bias"], norm.Parameters.Select(p => p.Name));
        Assert.Equal(1f, norm.Weight.Value[0, 2]);
        Assert.Equal(1f, norm.RunningVariance[0, 0]);
    }

    internal static Matrix<double> Rows(params double[][] rows)
    {
        var m = new Matrix<double>(rows.Length, rows[0].Length);
        for (int r = 0; r < rows.Length; r++)
            rows[r].CopyTo(m.Row(r));
        return m;
    }
}
