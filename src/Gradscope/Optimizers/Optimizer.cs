using System.Numerics;

namespace Gradscope.Optimizers;

/// <summary>
/// Creates optimizers by name. (Named <c>Optimizer</c>, not <c>Optimizers</c>: inside any
/// <c>Gradscope.*</c> namespace the simple name <c>Optimizers</c> binds to the namespace first.)
/// </summary>
public static class Optimizer
{
    /// <summary>The accepted names, as shown in error messages and help.</summary>
    public const string ValidNames = "sgd, momentum, nesterov, rmsprop, adam, adamw";

    /// <summary>
    /// The optimizer called <paramref name="name"/> (case-insensitive) with <paramref name="options"/>
    /// (PyTorch's defaults where null): <c>sgd</c> (plain, ignores Momentum), <c>momentum</c>,
    /// <c>nesterov</c>, <c>rmsprop</c>, <c>adam</c>, <c>adamw</c>.
    /// </summary>
    /// <exception cref="GradscopeException">The name is unknown (the message lists the valid names) or an option is out of range.</exception>
    public static IOptimizer<T> Create<T>(string name, OptimizerOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        OptimizerOptions o = options ?? new OptimizerOptions();
        double weightDecay = o.WeightDecay ?? 0;
        string key = (name ?? string.Empty).Trim().ToLowerInvariant();
        return key switch
        {
            "sgd" => new Sgd<T>(o.LearningRate ?? 1e-3, 0, false, weightDecay, o.DecayBiases),
            "momentum" => new Sgd<T>(o.LearningRate ?? 1e-3, PositiveMomentum(o, key), false, weightDecay, o.DecayBiases),
            "nesterov" => new Sgd<T>(o.LearningRate ?? 1e-3, PositiveMomentum(o, key), true, weightDecay, o.DecayBiases),
            "rmsprop" => new RmsProp<T>(o.LearningRate ?? 1e-2, o.Alpha, o.Epsilon, weightDecay, o.DecayBiases),
            "adam" => new Adam<T>(o.LearningRate ?? 1e-3, o.Beta1, o.Beta2, o.Epsilon, weightDecay, false, o.DecayBiases),
            "adamw" => new Adam<T>(o.LearningRate ?? 1e-3, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay ?? 0.01, true, o.DecayBiases),
            "" => throw new GradscopeException($"The optimizer name is empty. Valid optimizers: {ValidNames}."),
            _ => throw new GradscopeException($"Unknown optimizer '{name}'. Valid optimizers: {ValidNames}."),
        };
    }

    private static double PositiveMomentum(OptimizerOptions options, string name) =>
        options.Momentum > 0
            ? options.Momentum
            : throw new GradscopeException($"The '{name}' optimizer needs a momentum above 0; got {options.Momentum}.");
}
