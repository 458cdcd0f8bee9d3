using System.Numerics;
using Gradscope.Losses;
using Gradscope.Tensors;

namespace Gradscope.Tests.Losses;

public class LossGradientCheckTests
{
    public static TheoryData<string> LossNames => ["cross-entropy", "bce", "mse"];

    // Central differences in double: (L(x + h) - L(x - h)) / 2h, error O(h^2) plus rounding
    // eps * |L| / h, both far below 1e-6 of gradients near 0.05.
    [Theory]
    [MemberData(nameof(LossNames))]
    public void Loss_PassesGradientCheck(string name)
    {
        ILoss<double> loss = Loss.Parse<double>(name);
        var rng = new SeededRandom(7);
        var output = new Matrix<double>(4, 5);
        for (int i = 0; i < output.Length; i++)
            output.Span[i] = rng.NextGaussian(0, 2);
        int[] labels = [0, 3, 4, 3];
        var analytic = new Matrix<double>(4, 5);
        var scratch = new Matrix<double>(4, 5);
        loss.Compute(output, labels, analytic);

        const double H = 1e-5;
        double worst = 0;
        for (int i = 0; i < output.Length; i++)
        {
            double original = output.Span[i];
            output.Span[i] = original + H;
            double plus = loss.Compute(output, labels, scratch);
            output.Span[i] = original - H;
            double minus = loss.Compute(output, labels, scratch);
            output.Span[i] = original;

            double numeric = (plus - minus) / (2 * H);
            double a = analytic.Span[i];
            double relative = Math.Abs(a - numeric) / Math.Max(Math.Max(Math.Abs(a), Math.Abs(numeric)), 1e-10);
            worst = Math.Max(worst, relative);
        }

        Assert.InRange(worst, 0, 1e-6);
    }

    [Fact]
    public void SoftmaxCrossEntropy_ExtremeLogitsStayFinite()
    {
        // Row 0: label 1 at -1000 against a 1000: loss 2000, softmax [1, 0, 0].
        // Row 1: label 0 at -1000 against two 1000s: loss 2000 + log 2, softmax [0, 1/2, 1/2].
        // mean 2000 + log(2) / 2; grad = (softmax - onehot) / 2.
        CheckExtreme<double>(new SoftmaxCrossEntropy<double>(), 2000 + (Math.Log(2) / 2), [0.5, -0.5, 0, -0.5, 0.25, 0.25]);
        CheckExtreme<float>(new SoftmaxCrossEntropy<float>(), 2000 + (Math.Log(2) / 2), [0.5, -0.5, 0, -0.5, 0.25, 0.25]);
    }

    [Fact]
    public void BinaryCrossEntropy_ExtremeLogitsStayFinite()
    {
        // Targets [0, 1, 0] and [1, 0, 0]; every element with |x| = 1000 costs 1000 (+ log1p(e^-1000) = 0),
        // the x = 0 element costs log 2: mean (5000 + log 2) / 6. grad = (sigmoid(x) - t) / 6.
        double[] grad = [1.0 / 6, -1.0 / 6, 0.5 / 6, -1.0 / 6, 1.0 / 6, 1.0 / 6];
        CheckExtreme<double>(new BinaryCrossEntropy<double>(), (5000 + Math.Log(2)) / 6, grad);
        CheckExtreme<float>(new BinaryCrossEntropy<float>(), (5000 + Math.Log(2)) / 6, grad);
    }

    [Fact]
    public void MeanSquaredError_ExtremeOutputsStayFinite()
    {
        // Differences [1000, -1001, 0] and [-1001, 1000, 1000]: (3e6 + 2 * 1001^2) / 6; grad = 2 diff / 6.
        double[] grad = [2000.0 / 6, -2002.0 / 6, 0, -2002.0 / 6, 2000.0 / 6, 2000.0 / 6];
        CheckExtreme<double>(new MeanSquaredError<double>(), (3e6 + (2 * 1001.0 * 1001.0)) / 6, grad);
        CheckExtreme<float>(new MeanSquaredError<float>(), (3e6 + (2 * 1001.0 * 1001.0)) / 6, grad);
    }

    [Theory]
    [MemberData(nameof(LossNames))]
    public void Loss_AllocatesNothingPerCall(string name)
    {
        Assert.Equal(0, AllocatedOverCalls(Loss.Parse<float>(name)));
        Assert.Equal(0, AllocatedOverCalls(Loss.Parse<double>(name)));
    }

    private static long AllocatedOverCalls<T>(ILoss<T> loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = TestMatrices.Of<T>(2, 3, 1, -2, 3, 0.5, 0, -1);
        var grad = new Matrix<T>(2, 3);
        int[] labels = [2, 0];
        loss.Compute(output, labels, grad);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            loss.Compute(output, labels, grad);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static void CheckExtreme<T>(ILoss<T> loss, double expectedLoss, double[] expectedGrad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = TestMatrices.Of<T>(2, 3, 1000, -1000, 0, -1000, 1000, 1000);
        var grad = new Matrix<T>(2, 3);
        double value = double.CreateTruncating(loss.Compute(output, [1, 0], grad));

        Assert.Equal(expectedLoss, value, expectedLoss * 1e-6);
        double[] actual = TestMatrices.ToDoubles<T>(grad.Span);
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.True(double.IsFinite(actual[i]), $"gradient {i} is {actual[i]}");
            Assert.Equal(expectedGrad[i], actual[i], Math.Max(1e-6, Math.Abs(expectedGrad[i]) * 1e-6));
        }
    }
}
