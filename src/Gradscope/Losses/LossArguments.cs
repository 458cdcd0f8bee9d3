using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Losses;

/// <summary>The entry checks every loss runs once before its loops: shapes, then labels.</summary>
internal static class LossArguments
{
    public static void Validate<T>(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T> gradOutput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (labels.Length != output.Rows)
            throw new ArgumentException($"Got {labels.Length} labels for a batch of {output.Rows} rows.", nameof(labels));
        if (gradOutput.Cols != output.Cols)
            throw new ArgumentException($"gradOutput has {gradOutput.Cols} columns; the output has {output.Cols}.", nameof(gradOutput));

        gradOutput.Resize(output.Rows);
        CheckLabels(labels, output.Cols);
    }

    /// <summary>Throws the user's message when a label is outside <c>[0, classes)</c>.</summary>
    public static void CheckLabels(ReadOnlySpan<int> labels, int classes)
    {
        for (int row = 0; row < labels.Length; row++)
        {
            if ((uint)labels[row] >= (uint)classes)
                ThrowLabelOutOfRange(row, labels[row], classes);
        }
    }

    /// <summary>
    /// The driver of the losses that average over every <c>batch * classes</c> element (BCE, MSE):
    /// validates, runs <paramref name="row"/> on each row (it writes the row's gradient, already
    /// divided by the element count, and returns the row's summed loss) and returns the mean.
    /// </summary>
    public static T MeanOverElements<T>(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T> gradOutput, RowLoss<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(output, labels, gradOutput);
        if (output.Length == 0)
            return T.Zero;
        return MeanOfElements<T>(SumOfRows(output, labels, gradOutput, row, output.Rows), output.Rows, output.Cols);
    }

    /// <summary>
    /// <see cref="MeanOverElements"/>'s sum for <paramref name="output"/>'s rows as rows of a batch
    /// of <paramref name="batchRows"/> rows, the gradient scaled for that batch.
    /// </summary>
    public static double SumOverElements<T>(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T> gradOutput, RowLoss<T> row, int batchRows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(output, labels, gradOutput);
        return output.Length == 0 ? 0 : SumOfRows(output, labels, gradOutput, row, batchRows);
    }

    /// <summary>The mean over the <c>batch * classes</c> elements whose losses sum to <paramref name="total"/>.</summary>
    public static T MeanOfElements<T>(double total, int batchRows, int classes)
        where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(total * InverseCount(batchRows, classes));

    private static double SumOfRows<T>(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T> gradOutput, RowLoss<T> row, int batchRows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double invCount = InverseCount(batchRows, output.Cols);
        double total = 0;
        for (int r = 0; r < output.Rows; r++)
            total += row(output.Row(r), labels[r], gradOutput.Row(r), invCount);
        return total;
    }

    private static double InverseCount(int batchRows, int classes) => 1.0 / ((long)batchRows * classes);

    private static void ThrowLabelOutOfRange(int row, int label, int classes) =>
        throw new GradscopeException(
            $"Label {label} in row {row} of the batch is out of range: the model has {classes} outputs, " +
            $"so labels must be 0 to {classes - 1}. Check the label column or the output size of the last layer.");
}

/// <summary>One row of an element-averaged loss: writes the row's gradient (scaled by <paramref name="invCount"/>) and returns its summed loss.</summary>
internal delegate double RowLoss<T>(ReadOnlySpan<T> outputs, int label, Span<T> grad, double invCount)
    where T : unmanaged, IFloatingPointIeee754<T>;
