using Gradscope.Initialization;

namespace Gradscope.Diagnostics;

/// <summary>
/// The remedies each kind of finding recommends, best first, chosen for the network at hand: a
/// remedy the network already has (its activation, its initializer, norms before every activation,
/// residual blocks) is never offered.
/// </summary>
internal static class RemedyChoice
{
    /// <summary>Remedies for gradients that vanish across depth.</summary>
    public static IReadOnlyList<Remedy> Vanishing(NetworkFacts network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var remedies = new List<Remedy>();
        if (network.HasSquashing || !network.AllReluFamily)
            AddSwap(network, remedies, Remedies.ReluHe, "relu", new HeNormal());
        if (network.HasSquashing)
            AddSwap(network, remedies, Remedies.GeluHe, "gelu", new HeNormal());
        if (HasSigmoid(network))
            AddSwap(network, remedies, Remedies.TanhGlorot, "tanh", new GlorotUniform());
        AddInit(network, remedies);
        AddArchitectural(network, remedies);
        return remedies;
    }

    /// <summary>Remedies for saturated squashing units.</summary>
    public static IReadOnlyList<Remedy> Saturation(NetworkFacts network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var remedies = new List<Remedy>();
        AddInit(network, remedies);
        AddArchitectural(network, remedies);
        if (!network.AllReluFamily)
            AddSwap(network, remedies, Remedies.ReluHe, "relu", new HeNormal());
        return remedies;
    }

    /// <summary>Remedies for dead ReLU units.</summary>
    public static IReadOnlyList<Remedy> DeadUnits(NetworkFacts network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var remedies = new List<Remedy>();
        AddInit(network, remedies);
        AddSwap(network, remedies, Remedies.LeakyReluHe, "leaky-relu", new HeNormal());
        AddSwap(network, remedies, Remedies.GeluHe, "gelu", new HeNormal());
        AddArchitectural(network, remedies);
        return remedies;
    }

    /// <summary>Remedies for exploding gradients, across depth (weights too large) or over time (steps too large).</summary>
    public static IReadOnlyList<Remedy> Exploding(NetworkFacts network, bool acrossDepth)
    {
        ArgumentNullException.ThrowIfNull(network);
        var remedies = new List<Remedy>();
        if (!acrossDepth)
            remedies.Add(Remedies.ClipAndLowerLearningRate);
        AddInit(network, remedies);
        if (acrossDepth)
            remedies.Add(Remedies.ClipAndLowerLearningRate);
        AddArchitectural(network, remedies);
        return remedies;
    }

    /// <summary>Remedies for early layers that barely learn.</summary>
    public static IReadOnlyList<Remedy> Stalled(NetworkFacts network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var remedies = new List<Remedy>();
        if (network.HasSquashing)
            AddSwap(network, remedies, Remedies.ReluHe, "relu", new HeNormal());
        else
            AddInit(network, remedies);
        AddArchitectural(network, remedies);
        if (network.HasSquashing)
            AddSwap(network, remedies, Remedies.GeluHe, "gelu", new HeNormal());
        return remedies;
    }

    /// <summary>Remedies for a NaN or infinity.</summary>
    public static IReadOnlyList<Remedy> NonFinite(NetworkFacts network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var remedies = new List<Remedy> { Remedies.ClipAndLowerLearningRate };
        AddInit(network, remedies);
        return remedies;
    }

    // An activation swap (with its initializer) is offered unless the network already has both.
    /// <summary>Remedies for vanishing through time in a <paramref name="cell"/> layer: a gated cell for an RNN, an open forget gate for an LSTM.</summary>
    public static IReadOnlyList<Remedy> VanishingThroughTime(NetworkFacts network, string cell)
    {
        ArgumentNullException.ThrowIfNull(network);
        return cell switch
        {
            "rnn" => [Remedies.Lstm, Remedies.Gru],
            "lstm" => [Remedies.ForgetBias],
            _ => [Remedies.Lstm],
        };
    }

    private static void AddSwap(NetworkFacts network, List<Remedy> remedies, Remedy swap, string activation, Initializer initializer)
    {
        bool sameInit = network.Initializer == initializer;
        bool sameActivations = true;
        foreach (var a in network.Activations)
            sameActivations &= a.Name == activation;
        if (!(sameInit && sameActivations))
            remedies.Add(swap);
    }

    private static void AddInit(NetworkFacts network, List<Remedy> remedies)
    {
        if (!network.UsesRecommendedInit)
            remedies.Add(Remedies.RecommendedInit);
    }

    private static void AddArchitectural(NetworkFacts network, List<Remedy> remedies)
    {
        if (!network.FullyNormalized)
            remedies.Add(Remedies.BatchNorm);
        if (!network.HasResidualBlocks && network.Layers.Count > 2)
            remedies.Add(Remedies.Residual);
    }

    private static bool HasSigmoid(NetworkFacts network)
    {
        foreach (var a in network.Activations)
        {
            if (a.Name == "sigmoid")
                return true;
        }

        return false;
    }
}
