using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Layers;

/// <summary>
/// A learnable tensor: its value and the gradient of the loss with respect to it, same shape.
/// <see cref="ILayer{T}.Backward"/> adds into <see cref="Grad"/>; the trainer clears it.
/// Clearing is lazy (<see cref="ZeroGrad"/>): the first writer of a step may overwrite instead of
/// add (<see cref="GradForWrite"/>), so a dense layer's weight gradient is neither cleared nor
/// read before the GEMM writes it (two passes over 17 MB per step for a 2048x2048 layer).
/// </summary>
public sealed class Parameter<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a zero parameter of the given shape.</summary>
    public Parameter(string name, int rows, int cols)
    {
        Name = name;
        Value = new Matrix<T>(rows, cols);
        _grad = new Matrix<T>(rows, cols);
    }

    /// <summary>
    /// A parameter that reads <paramref name="shared"/>'s value but has a gradient of its own: one
    /// half of a batch adds its gradient here while the other half adds into another.
    /// </summary>
    internal Parameter(Parameter<T> shared)
    {
        Name = shared.Name;
        Value = shared.Value;
        _grad = new Matrix<T>(shared.Value.Rows, shared.Value.Cols);
    }

    private readonly Matrix<T> _grad;
    private bool _gradCleared;

    /// <summary>Name as PyTorch's state dict writes it, relative to its layer (<c>weight</c>, <c>bias</c>).</summary>
    public string Name { get; }

    /// <summary>The current value.</summary>
    public Matrix<T> Value { get; }

    /// <summary>dLoss/dValue, accumulated by backward passes (zeros after <see cref="ZeroGrad"/>).</summary>
    public Matrix<T> Grad
    {
        get
        {
            if (_gradCleared)
            {
                _grad.Clear();
                _gradCleared = false;
            }

            return _grad;
        }
    }

    /// <summary>Sets the gradient to zero, lazily: memory is cleared only if it is read before it is overwritten.</summary>
    public void ZeroGrad() => _gradCleared = true;

    /// <summary>
    /// The gradient matrix for a backward pass to write: <paramref name="accumulate"/> is false when
    /// the gradient is logically zero, so the caller must overwrite every element instead of adding.
    /// </summary>
    public Matrix<T> GradForWrite(out bool accumulate)
    {
        accumulate = !_gradCleared;
        _gradCleared = false;
        return _grad;
    }

    /// <summary>True for a bias vector (shape <c>[1, n]</c>), which initializers leave to zero and weight decay skips.</summary>
    public bool IsBias => Name.StartsWith("bias", StringComparison.Ordinal);
}
