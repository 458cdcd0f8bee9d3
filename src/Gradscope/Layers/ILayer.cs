using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Layers;

/// <summary>
/// One differentiable stage. Forward caches exactly what backward needs, in buffers the layer owns
/// and reuses, so a steady-state step allocates nothing.
/// </summary>
public interface ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The layer kind as shown to users (<c>dense</c>, <c>tanh</c>, ...).</summary>
    string Kind { get; }

    /// <summary>Features per input row.</summary>
    int InputSize { get; }

    /// <summary>Features per output row.</summary>
    int OutputSize { get; }

    /// <summary>Learnable tensors, empty for a layer without any.</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>
    /// <c>[batch, InputSize] -> [batch, OutputSize]</c>. The returned matrix is owned by the layer
    /// and valid until the next call.
    /// </summary>
    Matrix<T> Forward(Matrix<T> input, bool training);

    /// <summary>
    /// <c>[batch, OutputSize] -> [batch, InputSize]</c>: dLoss/dInput from dLoss/dOutput, for the
    /// input of the last <see cref="Forward"/>; adds parameter gradients into their <c>Grad</c>.
    /// </summary>
    Matrix<T> Backward(Matrix<T> gradOutput);
}
