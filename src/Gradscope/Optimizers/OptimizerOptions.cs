namespace Gradscope.Optimizers;

/// <summary>
/// Hyper-parameters for <see cref="Optimizer.Create{T}"/>. Each optimizer reads the ones it uses;
/// defaults are PyTorch's.
/// </summary>
public sealed record OptimizerOptions
{
    /// <summary>
    /// Step size; <c>null</c> takes PyTorch's default for the optimizer: 0.001 for sgd, momentum,
    /// nesterov, adam and adamw, 0.01 for rmsprop.
    /// </summary>
    public double? LearningRate { get; init; }

    /// <summary>Momentum coefficient mu for <c>momentum</c> and <c>nesterov</c> (ignored by plain <c>sgd</c>); default 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>
    /// Weight decay; <c>null</c> means 0, except 0.01 for adamw. L2 (added to the gradient as
    /// <c>g + wd * p</c>) for every optimizer but adamw, whose decay is decoupled
    /// (<c>p *= 1 - lr * wd</c> before the Adam step).
    /// </summary>
    public double? WeightDecay { get; init; }

    /// <summary>
    /// Whether weight decay also applies to biases (<see cref="Layers.Parameter{T}.IsBias"/>).
    /// Default false: Gradscope skips biases, as is common practice; PyTorch without parameter
    /// groups decays them too (set true for PyTorch's exact behaviour).
    /// </summary>
    public bool DecayBiases { get; init; }

    /// <summary>Adam's first-moment decay beta1; default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam's second-moment decay beta2; default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the denominator by Adam and RMSProp; default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>RMSProp's squared-gradient decay alpha; default 0.99.</summary>
    public double Alpha { get; init; } = 0.99;
}
