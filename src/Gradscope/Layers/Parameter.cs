using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Layers;

/// <summary>
/// A learnable tensor: its value and the gradient of the loss with respect to it, same shape.
/// <see cref="ILayer{T}.Backward"/> adds into <see cref="Grad"/>; the trainer clears it.
/// </summary>
public sealed class Parameter<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a zero parameter of the given shape.</summary>
    public Parameter(string name, int rows, int cols)
    {
        Name = name;
        Value = new Matrix<T>(rows, cols);
        Grad = new Matrix<T>(rows, cols);
    }

    /// <summary>Name as PyTorch's state dict writes it, relative to its layer (<c>weight</c>, <c>bias</c>).</summary>
    public string Name { get; }

    /// <summary>The current value.</summary>
    public Matrix<T> Value { get; }

    /// <summary>dLoss/dValue, accumulated by backward passes.</summary>
    public Matrix<T> Grad { get; }

    /// <summary>True for a bias vector (shape <c>[1, n]</c>), which initializers leave to zero and weight decay skips.</summary>
    public bool IsBias => Name.StartsWith("bias", StringComparison.Ordinal);
}
