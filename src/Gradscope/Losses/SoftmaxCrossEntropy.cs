using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Tensors;

namespace Gradscope.Losses;

/// <summary>
/// Softmax followed by cross-entropy, fused as PyTorch's <c>nn.CrossEntropyLoss</c> (mean over the
/// batch): <c>loss_i = log(sum_j exp(x_ij)) - x_i,label</c>, computed after subtracting the row
/// maximum so no exponential overflows; logits of +-1000 give a finite loss and gradient.
/// Gradient: <c>(softmax(x_i) - onehot(label_i)) / batch</c>.
/// </summary>
public sealed class SoftmaxCrossEntropy<T> : IRowwiseLoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public string Name => "cross-entropy";

    /// <inheritdoc/>
    public T Compute(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T> gradOutput)
    {
        LossArguments.Validate(output, labels, gradOutput);
        if (output.Rows == 0 || output.Cols == 0)
            return T.Zero;
        return Mean(SumOfRows(output, labels, gradOutput, output.Rows), output.Rows);
    }

    double IRowwiseLoss<T>.SumRows(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T> gradOutput, int batchRows)
    {
        LossArguments.Validate(output, labels, gradOutput);
        return output.Cols == 0 ? 0 : SumOfRows(output, labels, gradOutput, batchRows);
    }

    T IRowwiseLoss<T>.Mean(double total, int batchRows, int classes) => Mean(total, batchRows);

    private static T Mean(double total, int batchRows) => T.CreateTruncating(total / batchRows);

    private static double SumOfRows(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T> gradOutput, int batchRows)
    {
        double invBatch = 1.0 / batchRows;
        double total = 0;
        for (int row = 0; row < output.Rows; row++)
            total += RowLossAndGradient(output.Row(row), labels[row], gradOutput.Row(row), invBatch);
        return total;
    }

    /// <summary>Index of the largest element (the predicted class); the first one on ties, -1 for an empty row.</summary>
    public static int ArgMax(ReadOnlySpan<T> row) => TensorPrimitives.IndexOfMax(row);

    /// <summary>Fraction of rows of <paramref name="output"/> whose <see cref="ArgMax"/> equals the label, in [0, 1].</summary>
    public static double Accuracy(Matrix<T> output, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (labels.Length != output.Rows)
            throw new ArgumentException($"Got {labels.Length} labels for a batch of {output.Rows} rows.", nameof(labels));
        if (output.Rows == 0)
            return 0;

        int correct = 0;
        for (int row = 0; row < output.Rows; row++)
        {
            if (ArgMax(output.Row(row)) == labels[row])
                correct++;
        }

        return (double)correct / output.Rows;
    }

    // loss = log(sum exp(x - max)) - (x_label - max); the sum is at least exp(0) = 1, so the log is
    // finite. grad first holds x - max, then exp(x - max), then the scaled softmax.
    private static double RowLossAndGradient(ReadOnlySpan<T> logits, int label, Span<T> grad, double invBatch)
    {
        T max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, grad);
        double shiftedLabelLogit = double.CreateTruncating(grad[label]);
        TensorPrimitives.Exp(grad, grad);

        double sum = 0;
        for (int j = 0; j < grad.Length; j++)
            sum += double.CreateTruncating(grad[j]);

        TensorPrimitives.Multiply(grad, T.CreateTruncating(invBatch / sum), grad);
        grad[label] -= T.CreateTruncating(invBatch);
        return Math.Log(sum) - shiftedLabelLogit;
    }
}
