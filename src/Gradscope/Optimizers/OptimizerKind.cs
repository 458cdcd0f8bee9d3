namespace Gradscope.Optimizers;

/// <summary>The optimizers <see cref="Optimizer.Create{T}"/> builds, as a type rather than a name.</summary>
public enum OptimizerKind
{
    /// <summary>Plain stochastic gradient descent.</summary>
    Sgd,

    /// <summary>SGD with (heavy-ball) momentum.</summary>
    Momentum,

    /// <summary>SGD with Nesterov momentum.</summary>
    Nesterov,

    /// <summary>RMSProp.</summary>
    RmsProp,

    /// <summary>Adam with L2 weight decay.</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay.</summary>
    AdamW,
}

/// <summary>Names and defaults of <see cref="OptimizerKind"/>.</summary>
public static class OptimizerKinds
{
    /// <summary>The name <see cref="Optimizer.Create{T}"/> and the command line accept.</summary>
    public static string Name(this OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd => "sgd",
        OptimizerKind.Momentum => "momentum",
        OptimizerKind.Nesterov => "nesterov",
        OptimizerKind.RmsProp => "rmsprop",
        OptimizerKind.Adam => "adam",
        OptimizerKind.AdamW => "adamw",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Parses a name (case-insensitive, surrounding space ignored).</summary>
    /// <exception cref="GradscopeException">The name is unknown; the message lists the valid names.</exception>
    public static OptimizerKind Parse(string name)
    {
        string key = (name ?? string.Empty).Trim().ToLowerInvariant();
        foreach (var kind in Enum.GetValues<OptimizerKind>())
        {
            if (kind.Name() == key)
                return kind;
        }

        throw new GradscopeException(key.Length == 0
            ? $"The optimizer name is empty. Valid optimizers: {Optimizer.ValidNames}."
            : $"Unknown optimizer '{name}'. Valid optimizers: {Optimizer.ValidNames}.");
    }

    /// <summary>True for SGD and its momentum variants, whose learning rate has no sensible library default.</summary>
    public static bool IsSgdFamily(this OptimizerKind kind) => kind is OptimizerKind.Sgd or OptimizerKind.Momentum or OptimizerKind.Nesterov;

    /// <summary>True for the variants that use a momentum coefficient.</summary>
    public static bool UsesMomentum(this OptimizerKind kind) => kind is OptimizerKind.Momentum or OptimizerKind.Nesterov;
}
