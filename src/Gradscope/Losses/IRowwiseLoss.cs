using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Losses;

/// <summary>
/// A loss that is a sum of per-row terms times a scale set by the batch size, as every built-in
/// loss is. The rows of a batch may then be computed in parts (the two halves that a batch split
/// runs on two cores), each writing exactly the gradient rows one call over the batch would write.
/// </summary>
internal interface IRowwiseLoss<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Writes the gradient of <paramref name="output"/>'s rows as rows of a batch of
    /// <paramref name="batchRows"/> rows (the scale of every gradient) and returns their summed loss.
    /// </summary>
    double SumRows(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T> gradOutput, int batchRows);

    /// <summary>The mean loss of a batch of <paramref name="batchRows"/> rows whose row terms sum to <paramref name="total"/>.</summary>
    T Mean(double total, int batchRows, int classes);
}
