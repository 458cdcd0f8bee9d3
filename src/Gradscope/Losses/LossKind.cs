namespace Gradscope.Losses;

/// <summary>The losses <see cref="Loss.Parse{T}"/> builds, as a type rather than a name.</summary>
public enum LossKind
{
    /// <summary>Softmax cross-entropy over class logits (fused, numerically stable).</summary>
    CrossEntropy,

    /// <summary>Binary cross-entropy on sigmoid outputs.</summary>
    BinaryCrossEntropy,

    /// <summary>Mean squared error.</summary>
    MeanSquaredError,
}

/// <summary>Names of <see cref="LossKind"/>.</summary>
public static class LossKinds
{
    /// <summary>The canonical name <see cref="Loss.Parse{T}"/> and the command line accept.</summary>
    public static string Name(this LossKind kind) => kind switch
    {
        LossKind.CrossEntropy => "cross-entropy",
        LossKind.BinaryCrossEntropy => "bce",
        LossKind.MeanSquaredError => "mse",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Parses a name or alias (case-insensitive): cross-entropy/ce, bce/binary-cross-entropy, mse/mean-squared-error.</summary>
    /// <exception cref="GradscopeException">The name is unknown; the message lists the valid names.</exception>
    public static LossKind Parse(string name) => (name ?? string.Empty).Trim().ToLowerInvariant() switch
    {
        "cross-entropy" or "ce" => LossKind.CrossEntropy,
        "bce" or "binary-cross-entropy" => LossKind.BinaryCrossEntropy,
        "mse" or "mean-squared-error" => LossKind.MeanSquaredError,
        "" => throw new GradscopeException($"The loss name is empty. Valid losses: {Loss.ValidNames}."),
        _ => throw new GradscopeException($"Unknown loss '{name}'. Valid losses: {Loss.ValidNames}."),
    };
}
