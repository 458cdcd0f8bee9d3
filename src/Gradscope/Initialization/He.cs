using Gradscope.Tensors;

namespace Gradscope.Initialization;

/// <summary>
/// He (Kaiming) normal (He et al. 2015), as <c>torch.nn.init.kaiming_normal_</c> for ReLU:
/// N(0, std^2) with <c>std = gain / sqrt(fan)</c>, gain sqrt(2) by default.
/// </summary>
public sealed record HeNormal : Initializer
{
    /// <summary>Creates the initializer with ReLU's gain sqrt(2), fan-in.</summary>
    public HeNormal() => Gain = Math.Sqrt(2.0);

    /// <summary>Which fan to divide by; default fan-in.</summary>
    public FanMode Mode { get; init; }

    /// <inheritdoc/>
    public override string Name => Mode == FanMode.FanIn ? "he-normal" : "he-normal-fan-out";

    /// <inheritdoc/>
    public override void Initialize<T>(Matrix<T> weight, SeededRandom rng) =>
        Sampling.Normal(weight, Gain / Math.Sqrt(Sampling.Fan(weight, Mode)), rng);
}

/// <summary>
/// He (Kaiming) uniform, as <c>torch.nn.init.kaiming_uniform_</c> for ReLU: U[-a, a] with
/// <c>a = gain * sqrt(3 / fan)</c>, gain sqrt(2) by default.
/// </summary>
public sealed record HeUniform : Initializer
{
    /// <summary>Creates the initializer with ReLU's gain sqrt(2), fan-in.</summary>
    public HeUniform() => Gain = Math.Sqrt(2.0);

    /// <summary>Which fan to divide by; default fan-in.</summary>
    public FanMode Mode { get; init; }

    /// <inheritdoc/>
    public override string Name => Mode == FanMode.FanIn ? "he-uniform" : "he-uniform-fan-out";

    /// <inheritdoc/>
    public override void Initialize<T>(Matrix<T> weight, SeededRandom rng) =>
        Sampling.Uniform(weight, Gain * Math.Sqrt(3.0 / Sampling.Fan(weight, Mode)), rng);
}
