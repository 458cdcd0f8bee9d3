using Gradscope.Layers;

namespace Gradscope.Tests.Layers;

public sealed class LayerNormTests
{
    [Fact]
    public void LayerNorm_NormalizesEachRowOverItsFeatures()
    {
        var norm = new LayerNorm<double>(4);
        norm.Weight.Value[0, 3] = 2;
        norm.Bias.Value[0, 3] = 1;

        var y = norm.Forward(BatchNormTests.Rows([1, 2, 3, 4], [10, 10, 10, 10]), training: false);

        // Row 0: mean 2.5, biased variance 1.25.
        double invStd = 1 / Math.Sqrt(1.25 + 1e-5);
        Assert.Equal(-1.5 * invStd, y[0, 0], 12);
        Assert.Equal((2 * 1.5 * invStd) + 1, y[0, 3], 12);

        // A constant row has no variance: xhat = 0, y = beta.
        Assert.Equal(0, y[1, 0], 12);
        Assert.Equal(1, y[1, 3], 12);
    }

    [Fact]
    public void LayerNorm_TrainingAndEvaluation_Agree()
    {
        var norm = new LayerNorm<double>(3);
        var x = BatchNormTests.Rows([0.5, -1, 2], [3, 1, 0]);
        double training = norm.Forward(x, training: true)[1, 2];
        double evaluation = norm.Forward(x, training: false)[1, 2];
        Assert.Equal(training, evaluation);
    }
}
