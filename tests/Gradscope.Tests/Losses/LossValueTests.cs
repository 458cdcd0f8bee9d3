using System.Numerics;
using Gradscope.Losses;
using Gradscope.Tensors;

namespace Gradscope.Tests.Losses;

public class LossValueTests
{
    [Fact]
    public void SoftmaxCrossEntropy_MatchesHandComputedValues()
    {
        CheckSoftmaxCrossEntropy<double>(1e-12);
        CheckSoftmaxCrossEntropy<float>(1e-6);
    }

    [Fact]
    public void BinaryCrossEntropy_MatchesHandComputedValues()
    {
        CheckBinaryCrossEntropy<double>(1e-12);
        CheckBinaryCrossEntropy<float>(1e-6);
    }

    [Fact]
    public void MeanSquaredError_MatchesHandComputedValues()
    {
        CheckMeanSquaredError<double>(1e-12);
        CheckMeanSquaredError<float>(1e-6);
    }

    [Fact]
    public void Compute_OverwritesGradOutputInsteadOfAccumulating()
    {
        var output = TestMatrices.Of<double>(1, 2, 0.5, -1);
        var grad = TestMatrices.Of<double>(1, 2, 100, 100);
        new MeanSquaredError<double>().Compute(output, [0], grad);
        Assert.Equal([-0.5, -1.0], grad.Span.ToArray());
    }

    [Fact]
    public void Compute_ResizesGradOutputToTheBatch()
    {
        var output = TestMatrices.Of<float>(2, 3, 1, 2, 3, 1, 1, 1);
        var grad = new Matrix<float>(8, 3);
        new SoftmaxCrossEntropy<float>().Compute(output, [2, 0], grad);
        Assert.Equal(2, grad.Rows);
    }

    [Fact]
    public void Compute_EmptyBatchGivesZeroLoss()
    {
        var output = new Matrix<double>(0, 4);
        Assert.Equal(0.0, new SoftmaxCrossEntropy<double>().Compute(output, [], new Matrix<double>(0, 4)));
        Assert.Equal(0.0, new BinaryCrossEntropy<double>().Compute(output, [], new Matrix<double>(0, 4)));
        Assert.Equal(0.0, new MeanSquaredError<double>().Compute(output, [], new Matrix<double>(0, 4)));
    }

    [Fact]
    public void ArgMax_ReturnsFirstLargestIndex()
    {
        Assert.Equal(1, SoftmaxCrossEntropy<float>.ArgMax([0.1f, 3f, -2f, 3f]));
        Assert.Equal(-1, SoftmaxCrossEntropy<float>.ArgMax([]));
    }

    [Fact]
    public void Accuracy_CountsRowsWhoseArgMaxIsTheLabel()
    {
        var output = TestMatrices.Of<double>(4, 2, 1, 0, 0, 1, 1, 0, 0, 1);
        Assert.Equal(0.75, SoftmaxCrossEntropy<double>.Accuracy(output, [0, 1, 1, 1]));
    }

    // Rows [1, 2, 3] (label 2) and [1, 1, 1] (label 0):
    // loss_0 = log(e + e^2 + e^3) - 3 = 0.40760596444438013, loss_1 = log 3 = 1.0986122886681098,
    // mean 0.753109126556245. grad = (softmax - onehot) / 2:
    // row 0: [e, e^2, e^3] / (e + e^2 + e^3) / 2 = [0.0450152866, 0.1223642355, 0.3326204779 - 0.5];
    // row 1: [1/3 - 1, 1/3, 1/3] / 2.
    private static void CheckSoftmaxCrossEntropy<T>(double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = TestMatrices.Of<T>(2, 3, 1, 2, 3, 1, 1, 1);
        var grad = new Matrix<T>(2, 3);
        T loss = new SoftmaxCrossEntropy<T>().Compute(output, [2, 0], grad);

        Assert.Equal(0.753109126556245, double.CreateTruncating(loss), tolerance);
        double[] expected = [0.04501528658519023, 0.12236423552739883, -0.16737952211258905, -1.0 / 3, 1.0 / 6, 1.0 / 6];
        AssertClose(expected, grad.Span, tolerance);
    }

    // Row [0, 2], label 1, so targets [0, 1]; mean over 2 elements:
    // x=0, t=0: log(1 + e^0) = log 2 = 0.6931471805599453
    // x=2, t=1: 2 - 2 + log(1 + e^-2) = 0.1269280110429725; mean 0.4100375958014589
    // grad = (sigmoid(x) - t) / 2 = [0.5 / 2, (1 / (1 + e^-2) - 1) / 2] = [0.25, -0.05960146101105884]
    private static void CheckBinaryCrossEntropy<T>(double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = TestMatrices.Of<T>(1, 2, 0, 2);
        var grad = new Matrix<T>(1, 2);
        T loss = new BinaryCrossEntropy<T>().Compute(output, [1], grad);

        Assert.Equal(0.4100375958014589, double.CreateTruncating(loss), tolerance);
        AssertClose([0.25, -0.05960146101105884], grad.Span, tolerance);
    }

    // Rows [0.5, -1] and [2, 0], both label 0, so differences [-0.5, -1, 1, 0]:
    // loss = (0.25 + 1 + 1 + 0) / 4 = 0.5625; grad = 2 * diff / 4 = [-0.25, -0.5, 0.5, 0].
    private static void CheckMeanSquaredError<T>(double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = TestMatrices.Of<T>(2, 2, 0.5, -1, 2, 0);
        var grad = new Matrix<T>(2, 2);
        T loss = new MeanSquaredError<T>().Compute(output, [0, 0], grad);

        Assert.Equal(0.5625, double.CreateTruncating(loss), tolerance);
        AssertClose([-0.25, -0.5, 0.5, 0], grad.Span, tolerance);
    }

    private static void AssertClose<T>(double[] expected, ReadOnlySpan<T> actual, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], double.CreateTruncating(actual[i]), tolerance);
    }
}
