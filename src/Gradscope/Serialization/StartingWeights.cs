using System.Numerics;
using Gradscope.Layers;
using Gradscope.Serialization.Safetensors;

namespace Gradscope.Serialization;

/// <summary>
/// A copy of a network's tensors, by state-dict name, taken before it trains: what a rewritten
/// network (a remedy tried on a diagnosed model) starts from wherever the rewrite keeps a tensor,
/// so a trial continues the diagnosed weights instead of starting over.
/// </summary>
public sealed class StartingWeights
{
    private readonly Dictionary<string, SafetensorsTensor> _tensors;

    private StartingWeights(Dictionary<string, SafetensorsTensor> tensors) => _tensors = tensors;

    /// <summary>Where the weights came from (a model file's path), to name in a run description.</summary>
    public required string Source { get; init; }

    /// <summary>Copies every tensor of <paramref name="network"/> as it is now.</summary>
    public static StartingWeights Of<T>(Sequential<T> network, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensors = new Dictionary<string, SafetensorsTensor>(StringComparer.Ordinal);
        foreach (var tensor in ModelFile.StateDict(network))
            tensors[tensor.Name] = tensor;
        return new StartingWeights(tensors) { Source = source };
    }

    /// <summary>What the network the weights were taken from keeps when it simply trains on: every tensor.</summary>
    public WeightTransfer Unchanged()
    {
        var names = new List<string>(_tensors.Count);
        foreach (var (name, tensor) in _tensors)
        {
            if (tensor.DType != SafetensorsDType.I64)
                names.Add(name);
        }

        return new WeightTransfer(Source, names, []);
    }

    /// <summary>
    /// Loads the tensors into <paramref name="network"/> (built and initialized from a rewritten
    /// layout) wherever a tensor of the same name and shape exists, except in the layers whose
    /// module path is in <paramref name="reinitialize"/>: those, and the layers the rewrite added,
    /// keep the initialization they were built with.
    /// </summary>
    public WeightTransfer LoadInto<T>(Sequential<T> network, IReadOnlySet<string> reinitialize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(reinitialize);
        var (kept, initialized) = ModelFile.CopyMatching(network, _tensors, reinitialize);
        return new WeightTransfer(Source, kept, initialized);
    }
}

/// <summary>Which of a network's tensors started from earlier weights and which were initialized.</summary>
/// <param name="Source">Where the kept tensors came from.</param>
/// <param name="Kept">State-dict names of the tensors copied from the earlier weights.</param>
/// <param name="Initialized">State-dict names of the tensors that kept their fresh initialization (new layers, layers re-initialized on purpose).</param>
public sealed record WeightTransfer(string Source, IReadOnlyList<string> Kept, IReadOnlyList<string> Initialized)
{
    /// <summary>Every tensor of the network (batch counts aside).</summary>
    public int Total => Kept.Count + Initialized.Count;
}
