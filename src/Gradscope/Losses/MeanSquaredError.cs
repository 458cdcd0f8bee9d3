using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Losses;

/// <summary>
/// Mean squared error against the one-hot encoding of the labels, as PyTorch's <c>nn.MSELoss</c>
/// (mean over all <c>batch * classes</c> elements): <c>mean((x - t)^2)</c>; gradient
/// <c>2 (x - t) / (batch * classes)</c>.
/// </summary>
public sealed class MeanSquaredError<T> : IRowwiseLoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public string Name => "mse";

    /// <inheritdoc/>
    public T Compute(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T> gradOutput) =>
        LossArguments.MeanOverElements(output, labels, gradOutput, RowLossAndGradient);

    double IRowwiseLoss<T>.SumRows(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T> gradOutput, int batchRows) =>
        LossArguments.SumOverElements(output, labels, gradOutput, RowLossAndGradient, batchRows);

    T IRowwiseLoss<T>.Mean(double total, int batchRows, int classes) => LossArguments.MeanOfElements<T>(total, batchRows, classes);

    /// <summary>
    /// Regression: <c>mean((x - t)^2)</c> over all elements against real targets
    /// <paramref name="targets"/> (row-major, the output's shape); writes the gradient
    /// <c>2 (x - t) / n</c> into <paramref name="gradOutput"/>.
    /// </summary>
    public T ComputeTargets(Matrix<T> output, ReadOnlySpan<T> targets, Matrix<T> gradOutput)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(gradOutput);
        ReadOnlySpan<T> x = output.Span;
        if (targets.Length != x.Length || gradOutput.Length != x.Length)
            throw new GradscopeException($"mse: {x.Length} outputs but {targets.Length} targets and {gradOutput.Length} gradients.");
        Span<T> grad = gradOutput.Span;
        double invCount = 1.0 / Math.Max(1, x.Length), sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double diff = double.CreateTruncating(x[i]) - double.CreateTruncating(targets[i]);
            sum += diff * diff;
            grad[i] = T.CreateTruncating(2.0 * diff * invCount);
        }

        return T.CreateTruncating(sum * invCount);
    }

    // Scalar in double for the same reason as BinaryCrossEntropy: a small matrix, and the squares of
    // float outputs near 1e19 would overflow a float sum.
    private static double RowLossAndGradient(ReadOnlySpan<T> outputs, int label, Span<T> grad, double invCount)
    {
        double sum = 0;
        for (int j = 0; j < outputs.Length; j++)
        {
            double diff = double.CreateTruncating(outputs[j]) - (j == label ? 1.0 : 0.0);
            sum += diff * diff;
            grad[j] = T.CreateTruncating(2.0 * diff * invCount);
        }

        return sum;
    }
}
