using Gradscope.Tensors;

namespace Gradscope.Initialization;

/// <summary>N(0, (gain * std)^2), whatever the layer's size.</summary>
public sealed record Normal : Initializer
{
    private readonly double _std = 0.01;

    /// <summary>Standard deviation before the gain; default 0.01.</summary>
    /// <exception cref="GradscopeException">Set to a negative or non-finite number.</exception>
    public double Std
    {
        get => _std;
        init => _std = InitializerChecks.Std(value, Name);
    }

    /// <inheritdoc/>
    public override string Name => "normal";

    /// <inheritdoc/>
    public override void Initialize<T>(Matrix<T> weight, SeededRandom rng) => Sampling.Normal(weight, Gain * Std, rng);
}

/// <summary>U[-a, a] with <c>a = gain * std * sqrt(3)</c>, so the standard deviation is <c>gain * std</c>.</summary>
public sealed record Uniform : Initializer
{
    private readonly double _std = 0.01;

    /// <summary>Standard deviation before the gain; default 0.01.</summary>
    /// <exception cref="GradscopeException">Set to a negative or non-finite number.</exception>
    public double Std
    {
        get => _std;
        init => _std = InitializerChecks.Std(value, Name);
    }

    /// <inheritdoc/>
    public override string Name => "uniform";

    /// <inheritdoc/>
    public override void Initialize<T>(Matrix<T> weight, SeededRandom rng) =>
        Sampling.Uniform(weight, Gain * Std * Math.Sqrt(3.0), rng);
}

/// <summary>Range checks for initializer settings.</summary>
internal static class InitializerChecks
{
    public static double Std(double value, string name) =>
        double.IsFinite(value) && value >= 0
            ? value
            : throw new GradscopeException($"The '{name}' initializer's standard deviation must be a finite number of at least 0; got {value}.");
}
