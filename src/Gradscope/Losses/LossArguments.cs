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
        int classes = output.Cols;
        for (int row = 0; row < labels.Length; row++)
        {
            if ((uint)labels[row] >= (uint)classes)
                ThrowLabelOutOfRange(row, labels[row], classes);
        }
    }

    private static void ThrowLabelOutOfRange(int row, int label, int classes) =>
        throw new GradscopeException(
            $"Label {label} in row {row} of the batch is out of range: the model has {classes} outputs, " +
            $"so labels must be 0 to {classes - 1}. Check the label column or the output size of the last layer.");
}
