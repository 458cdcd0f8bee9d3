using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Losses;

/// <summary>
/// A loss over a batch of model outputs (logits) and integer class labels. Implementations are
/// stateless and allocate nothing, so one instance serves every step.
/// </summary>
public interface ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The name <see cref="Loss.Parse{T}"/> accepts (<c>cross-entropy</c>, <c>bce</c>, <c>mse</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Returns the mean loss of the batch and overwrites <paramref name="gradOutput"/> with
    /// dLoss/dOutput.
    /// </summary>
    /// <param name="output">Model outputs, <c>[batch, classes]</c>.</param>
    /// <param name="labels">One class index per row, each in <c>[0, classes)</c>.</param>
    /// <param name="gradOutput">
    /// Receives the gradient, <c>[batch, classes]</c>; it needs <c>classes</c> columns and is resized
    /// to <c>batch</c> rows (free within its capacity). Overwritten, not accumulated.
    /// </param>
    /// <returns>The mean loss; zero for an empty batch.</returns>
    /// <exception cref="GradscopeException">A label is outside <c>[0, classes)</c>.</exception>
    T Compute(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T> gradOutput);
}
