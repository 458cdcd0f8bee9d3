using System.Numerics;
using Gradscope.Layers;

namespace Gradscope.Optimizers;

/// <summary>
/// Updates parameters from their gradients, with PyTorch's update rule for the same name. State
/// (momentum, moment estimates) is kept per parameter object and created on the first step that
/// sees it; later steps allocate nothing.
/// </summary>
public interface IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The name <see cref="Optimizer.Create{T}"/> accepts (<c>sgd</c>, <c>adam</c>, ...).</summary>
    string Name { get; }

    /// <summary>The step size; a schedule may change it between steps. Finite and at least 0.</summary>
    double LearningRate { get; set; }

    /// <summary>Updates every parameter's <c>Value</c> from its <c>Grad</c>; leaves <c>Grad</c> unchanged.</summary>
    void Step(IReadOnlyList<Parameter<T>> parameters);
}
