using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Losses;

/// <summary>
/// Binary cross-entropy on logits against the one-hot encoding of the labels, as PyTorch's
/// <c>nn.BCEWithLogitsLoss</c> (mean over all <c>batch * classes</c> elements). Per element, in the
/// stable form that never takes the log of 0: <c>max(x, 0) - x t + log(1 + exp(-|x|))</c>;
/// gradient <c>(sigmoid(x) - t) / (batch * classes)</c>.
/// </summary>
public sealed class BinaryCrossEntropy<T> : IRowwiseLoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public string Name => "bce";

    /// <inheritdoc/>
    public T Compute(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T> gradOutput) =>
        LossArguments.MeanOverElements(output, labels, gradOutput, RowLossAndGradient);

    double IRowwiseLoss<T>.SumRows(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T> gradOutput, int batchRows) =>
        LossArguments.SumOverElements(output, labels, gradOutput, RowLossAndGradient, batchRows);

    T IRowwiseLoss<T>.Mean(double total, int batchRows, int classes) => LossArguments.MeanOfElements<T>(total, batchRows, classes);

    // One fused scalar pass in double: the output is [batch, classes], tiny next to the matmuls, and
    // double keeps log1p exact for float logits.
    private static double RowLossAndGradient(ReadOnlySpan<T> logits, int label, Span<T> grad, double invCount)
    {
        double sum = 0;
        for (int j = 0; j < logits.Length; j++)
        {
            double x = double.CreateTruncating(logits[j]);
            double target = j == label ? 1.0 : 0.0;
            double e = Math.Exp(-Math.Abs(x));
            sum += Math.Max(x, 0.0) - (x * target) + LogOnePlus(e);

            // sigmoid(x) written so that exp never sees a large positive argument.
            double sigmoid = x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
            grad[j] = T.CreateTruncating((sigmoid - target) * invCount);
        }

        return sum;
    }

    // log(1 + x) accurate for tiny x (Goldberg 1991, "What every computer scientist should know
    // about floating-point arithmetic", theorem 4): Math.Log(1 + x) loses all digits below 1e-16.
    private static double LogOnePlus(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}
