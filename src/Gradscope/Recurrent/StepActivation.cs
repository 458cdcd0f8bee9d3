using System.Numerics;
using Gradscope.Activations;
using Gradscope.Tensors;

namespace Gradscope.Recurrent;

/// <summary>
/// The simple RNN's nonlinearity, chosen at run time but specialized on its struct, so the loops
/// inline: one virtual call per time step, none per element.
/// </summary>
internal abstract class StepActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public abstract Activation Activation { get; }

    /// <summary>The nonlinearities <see cref="SimpleRnn{T}"/> accepts, as PyTorch's <c>nn.RNN</c>.</summary>
    public const string ValidNames = "tanh, relu";

    public static StepActivation<T> Create(string name)
    {
        var activation = Activation.Parse(name);
        return activation.Name switch
        {
            "tanh" => new StepActivation<T, Tanh>(activation),
            "relu" => new StepActivation<T, Relu>(activation),
            _ => throw new GradscopeException($"A simple RNN's nonlinearity must be one of {ValidNames}; got '{name}'."),
        };
    }

    /// <summary>y = phi(x); <paramref name="y"/> may alias <paramref name="x"/>.</summary>
    public abstract void Forward(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>gradInput = gradOutput * phi'(x, y).</summary>
    public abstract void Backprop(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput);
}

internal sealed class StepActivation<T, TAct>(Activation activation) : StepActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TAct : struct, IActivationFunction
{
    public override Activation Activation => activation;

    public override void Forward(ReadOnlySpan<T> x, Span<T> y) => TAct.Forward(x, y);

    public override void Backprop(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput) =>
        Elementwise.Backprop<T, TAct>(x, y, gradOutput, gradInput);
}
