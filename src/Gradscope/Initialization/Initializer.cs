using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Initialization;

/// <summary>
/// A weight initializer. Weights are <c>[out, in]</c> as PyTorch's <c>nn.Linear</c>, so
/// <c>fan_in = Cols</c> and <c>fan_out = Rows</c>. Biases (<c>[1, out]</c>) get the constant
/// <see cref="BiasValue"/>, 0 unless set (a negative value makes dead-ReLU scenarios).
/// Records, so a variant is one <c>with</c> away: <c>new HeNormal() with { Gain = 4 }</c>.
/// </summary>
public abstract partial record Initializer
{
    private double _gain = 1.0;
    private double _biasValue;

    /// <summary>The name <see cref="Parse"/> accepts (<c>he-normal</c>, <c>orthogonal</c>, ...).</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Multiplies the scale (std or bound) the rule gives. Defaults to 1, except sqrt(2) for He, so
    /// the gain of an activation (5/3 for tanh) or a deliberately large one can be applied.
    /// </summary>
    /// <exception cref="GradscopeException">Set to a negative or non-finite number.</exception>
    public double Gain
    {
        get => _gain;
        init => _gain = double.IsFinite(value) && value >= 0
            ? value
            : throw new GradscopeException($"An initializer's gain must be a finite number of at least 0; got {value}.");
    }

    /// <summary>The constant every bias starts at; default 0.</summary>
    /// <exception cref="GradscopeException">Set to a non-finite number.</exception>
    public double BiasValue
    {
        get => _biasValue;
        init => _biasValue = double.IsFinite(value)
            ? value
            : throw new GradscopeException($"An initializer's bias value must be a finite number; got {value}.");
    }

    /// <summary>Fills <paramref name="weight"/> (<c>[out, in]</c>) with values drawn from <paramref name="rng"/>.</summary>
    public abstract void Initialize<T>(Matrix<T> weight, SeededRandom rng)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Sets every element of <paramref name="bias"/> to <see cref="BiasValue"/>.</summary>
    public void InitializeBias<T>(Matrix<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(bias);
        bias.Span.Fill(T.CreateTruncating(BiasValue));
    }
}
