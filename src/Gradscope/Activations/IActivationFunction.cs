using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Activations;

/// <summary>
/// An activation function: its value and derivative side by side, scalar (the reference) and
/// vectorized, plus what diagnosis and initialization need to know about it.
/// </summary>
internal interface IActivationFunction : IDerivativeOperator
{
    /// <summary>Canonical name as typed on the command line (<c>tanh</c>, <c>leaky-relu</c>).</summary>
    static abstract string Name { get; }

    /// <summary>
    /// Recommended initialization gain: PyTorch's <c>torch.nn.init.calculate_gain</c> where it has
    /// one; otherwise the second-moment-preserving gain 1 / sqrt(E[phi(z)^2]), z ~ N(0, 1).
    /// </summary>
    static abstract double Gain { get; }

    /// <summary>Supremum of |phi'| over the real line (0.25 for sigmoid); the saturation test is relative to it.</summary>
    static abstract double MaxDerivative { get; }

    /// <summary>phi(x), the scalar reference.</summary>
    static abstract T Value<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>y = phi(x) over a span, vectorized. <paramref name="y"/> may alias <paramref name="x"/>.</summary>
    static abstract void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
