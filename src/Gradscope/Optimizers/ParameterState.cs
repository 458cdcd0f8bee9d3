using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Layers;

namespace Gradscope.Optimizers;

/// <summary>
/// An optimizer's buffers for one parameter, each created on first use at the parameter's size and
/// reused on every later step.
/// </summary>
internal sealed class ParameterState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[]? _first;
    private T[]? _second;
    private T[]? _scratch;
    private T[]? _decayedGradient;

    /// <summary>Steps taken on this parameter (PyTorch's per-parameter <c>state['step']</c>).</summary>
    public int Steps { get; set; }

    /// <summary>Momentum buffer or Adam's first moment.</summary>
    public Span<T> First(int length) => Buffer(ref _first, length);

    /// <summary>Running mean of squared gradients (RMSProp, Adam).</summary>
    public Span<T> Second(int length) => Buffer(ref _second, length);

    /// <summary>Temporary values within one step.</summary>
    public Span<T> Scratch(int length) => Buffer(ref _scratch, length);

    /// <summary>
    /// The gradient the update rule sees: <c>Grad</c> itself, or <c>Grad + weightDecay * Value</c>
    /// (PyTorch's L2 form) in a buffer of its own, so <c>Grad</c> stays what backward produced.
    /// </summary>
    public ReadOnlySpan<T> Gradient(Parameter<T> parameter, double weightDecay, bool decayBiases)
    {
        ReadOnlySpan<T> grad = parameter.Grad.Span;
        if (weightDecay == 0 || (parameter.IsBias && !decayBiases))
            return grad;

        Span<T> decayed = Buffer(ref _decayedGradient, grad.Length);
        TensorPrimitives.MultiplyAdd(parameter.Value.Span, T.CreateTruncating(weightDecay), grad, decayed);
        return decayed;
    }

    /// <summary>
    /// <see cref="Gradient(Parameter{T}, double, bool)"/> for elements [<paramref name="start"/>,
    /// +<paramref name="length"/>) only, so concurrent parts of one update each compute their own
    /// slice. The decay buffer must exist already (<see cref="Reserve"/>).
    /// </summary>
    public ReadOnlySpan<T> Gradient(Parameter<T> parameter, double weightDecay, bool decayBiases, int start, int length)
    {
        ReadOnlySpan<T> grad = parameter.Grad.Span.Slice(start, length);
        if (weightDecay == 0 || (parameter.IsBias && !decayBiases))
            return grad;

        Span<T> decayed = _decayedGradient.AsSpan(start, length);
        TensorPrimitives.MultiplyAdd(parameter.Value.Span.Slice(start, length), T.CreateTruncating(weightDecay), grad, decayed);
        return decayed;
    }

    /// <summary>
    /// Creates, on the calling thread, the buffers an update of <paramref name="length"/> elements
    /// will slice, so that parts of the update running on other threads never create one.
    /// </summary>
    public void Reserve(int length, bool first, bool scratch, bool decayed)
    {
        if (first)
            _ = First(length);
        if (scratch)
            _ = Scratch(length);
        if (decayed)
            _ = Buffer(ref _decayedGradient, length);
    }

    private static Span<T> Buffer(ref T[]? buffer, int length) => (buffer ??= new T[length]).AsSpan(0, length);
}

/// <summary>The states of all parameters an optimizer has seen, keyed by parameter identity.</summary>
internal sealed class ParameterStates<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<Parameter<T>, ParameterState<T>> _states = new(ReferenceEqualityComparer.Instance);

    public ParameterState<T> this[Parameter<T> parameter]
    {
        get
        {
            if (!_states.TryGetValue(parameter, out ParameterState<T>? state))
            {
                state = new ParameterState<T>();
                _states.Add(parameter, state);
            }

            return state;
        }
    }
}
