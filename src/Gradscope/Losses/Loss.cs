using System.Numerics;

namespace Gradscope.Losses;

/// <summary>
/// Creates losses by name. (Named <c>Loss</c>, not <c>Losses</c>: inside any <c>Gradscope.*</c>
/// namespace the simple name <c>Losses</c> binds to the namespace <c>Gradscope.Losses</c> first.)
/// </summary>
public static class Loss
{
    /// <summary>The accepted names, as shown in error messages and help.</summary>
    public const string ValidNames = "cross-entropy (alias ce), bce (alias binary-cross-entropy), mse (alias mean-squared-error)";

    /// <summary>
    /// The loss called <paramref name="name"/> (case-insensitive): <c>cross-entropy</c>/<c>ce</c> is
    /// <see cref="SoftmaxCrossEntropy{T}"/>, <c>bce</c> is <see cref="BinaryCrossEntropy{T}"/>,
    /// <c>mse</c> is <see cref="MeanSquaredError{T}"/>.
    /// </summary>
    /// <exception cref="GradscopeException">The name is unknown; the message lists the valid names.</exception>
    public static ILoss<T> Parse<T>(string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string key = (name ?? string.Empty).Trim().ToLowerInvariant();
        return key switch
        {
            "cross-entropy" or "ce" => new SoftmaxCrossEntropy<T>(),
            "bce" or "binary-cross-entropy" => new BinaryCrossEntropy<T>(),
            "mse" or "mean-squared-error" => new MeanSquaredError<T>(),
            "" => throw new GradscopeException($"The loss name is empty. Valid losses: {ValidNames}."),
            _ => throw new GradscopeException($"Unknown loss '{name}'. Valid losses: {ValidNames}."),
        };
    }
}
