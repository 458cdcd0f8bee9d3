using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Initialization;

/// <summary>
/// Glorot (Xavier) normal (Glorot and Bengio 2010), as <c>torch.nn.init.xavier_normal_</c>:
/// N(0, std^2) with <c>std = gain * sqrt(2 / (fan_in + fan_out))</c>.
/// </summary>
public sealed record GlorotNormal : Initializer
{
    /// <inheritdoc/>
    public override string Name => "glorot-normal";

    /// <inheritdoc/>
    public override void Initialize<T>(Matrix<T> weight, SeededRandom rng) =>
        Sampling.Normal(weight, Gain * Math.Sqrt(2.0 / FanSum(weight)), rng);

    internal static int FanSum<T>(Matrix<T> weight)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Math.Max(1, weight.Rows + weight.Cols);
}

/// <summary>
/// Glorot (Xavier) uniform, as <c>torch.nn.init.xavier_uniform_</c>: U[-a, a] with
/// <c>a = gain * sqrt(6 / (fan_in + fan_out))</c>.
/// </summary>
public sealed record GlorotUniform : Initializer
{
    /// <inheritdoc/>
    public override string Name => "glorot-uniform";

    /// <inheritdoc/>
    public override void Initialize<T>(Matrix<T> weight, SeededRandom rng) =>
        Sampling.Uniform(weight, Gain * Math.Sqrt(6.0 / GlorotNormal.FanSum(weight)), rng);
}
