using Gradscope.Tensors;

namespace Gradscope.Initialization;

/// <summary>
/// The early literature's default (LeCun et al. 1998; the baseline Glorot and Bengio 2010
/// criticize): <c>U[-gain / sqrt(fan_in), gain / sqrt(fan_in)]</c>, std <c>gain / sqrt(3 fan_in)</c>.
/// </summary>
public sealed record Standard : Initializer
{
    /// <inheritdoc/>
    public override string Name => "standard";

    /// <inheritdoc/>
    public override void Initialize<T>(Matrix<T> weight, SeededRandom rng) =>
        Sampling.Uniform(weight, Gain / Math.Sqrt(Sampling.Fan(weight, FanMode.FanIn)), rng);
}
