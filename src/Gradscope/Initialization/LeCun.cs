using Gradscope.Tensors;

namespace Gradscope.Initialization;

/// <summary>
/// LeCun normal (LeCun et al. 1998; with SELU, Klambauer et al. 2017): N(0, std^2) with
/// <c>std = gain / sqrt(fan_in)</c>, gain 1. Not truncated (Keras truncates; PyTorch has no LeCun).
/// </summary>
public sealed record LeCunNormal : Initializer
{
    /// <inheritdoc/>
    public override string Name => "lecun-normal";

    /// <inheritdoc/>
    public override void Initialize<T>(Matrix<T> weight, SeededRandom rng) =>
        Sampling.Normal(weight, Gain / Math.Sqrt(Sampling.Fan(weight, FanMode.FanIn)), rng);
}

/// <summary>LeCun uniform: U[-a, a] with <c>a = gain * sqrt(3 / fan_in)</c>, so std is <c>gain / sqrt(fan_in)</c>.</summary>
public sealed record LeCunUniform : Initializer
{
    /// <inheritdoc/>
    public override string Name => "lecun-uniform";

    /// <inheritdoc/>
    public override void Initialize<T>(Matrix<T> weight, SeededRandom rng) =>
        Sampling.Uniform(weight, Gain * Math.Sqrt(3.0 / Sampling.Fan(weight, FanMode.FanIn)), rng);
}
