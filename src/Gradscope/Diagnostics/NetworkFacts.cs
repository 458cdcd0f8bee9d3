using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Training;

namespace Gradscope.Diagnostics;

/// <summary>
/// What the rules know about one watched dense layer: the activation that consumes its output
/// (null for the output layer and for a dense layer followed directly by another), whether a
/// normalization sits between them, and whether it lies inside a residual block.
/// </summary>
/// <param name="Activation">The next activation in forward order, or null.</param>
/// <param name="Normalized">A batch or layer norm follows the layer before its activation.</param>
/// <param name="InResidualBlock">The layer is inside a residual block's body.</param>
public readonly record struct DenseFacts(Activation? Activation, bool Normalized, bool InResidualBlock);

/// <summary>
/// The network as the rules see it: one <see cref="DenseFacts"/> per watched dense layer, in the
/// trace's order (the main path, input to output, residual projections left out, as
/// <see cref="MonitoredLayers"/> finds them), and the initializer its weights came from. Causes
/// name the real activations and remedies are chosen for the real network, however it was
/// described (flags, a model spec, a model file).
/// </summary>
public sealed record NetworkFacts
{
    private NetworkFacts(IReadOnlyList<DenseFacts> layers, Initializer? initializer)
    {
        Layers = layers;
        Initializer = initializer;
    }

    /// <summary>Per watched dense layer, the output layer last.</summary>
    public IReadOnlyList<DenseFacts> Layers { get; }

    /// <summary>The initializer of the weights, or null when unknown (weights loaded from a file).</summary>
    public Initializer? Initializer { get; }

    /// <summary>
    /// True when the layers' activations are applied where the description cannot see them (a
    /// PyTorch model's functions in <c>forward()</c>) and none is known: causes then do not claim
    /// the network has the identity.
    /// </summary>
    public bool ActivationsUnknown { get; init; }

    /// <summary>The same network with weights from <paramref name="initializer"/> (null when unknown, as for weights loaded from a file).</summary>
    public NetworkFacts WithInitializer(Initializer? initializer) => new(Layers, initializer) { ActivationsUnknown = ActivationsUnknown };

    /// <summary>The hidden activations, each once, in order of first use.</summary>
    public IReadOnlyList<Activation> Activations
    {
        get
        {
            var result = new List<Activation>();
            foreach (var layer in Layers)
            {
                if (layer.Activation is { } a && !result.Exists(x => x.Name == a.Name))
                    result.Add(a);
            }

            return result;
        }
    }

    /// <summary>The activation after most hidden dense layers (the first on a tie); identity when there is none.</summary>
    public Activation MainActivation
    {
        get
        {
            Activation? best = null;
            int bestCount = 0;
            foreach (var candidate in Activations)
            {
                int count = 0;
                foreach (var layer in Layers)
                    count += layer.Activation?.Name == candidate.Name ? 1 : 0;
                if (count > bestCount)
                    (best, bestCount) = (candidate, count);
            }

            return best ?? Activation.Parse("identity");
        }
    }

    /// <summary>The name of <see cref="MainActivation"/> for a cause, or what stands for it when the activations are unknown.</summary>
    public string MainActivationName => Activations.Count == 0 && ActivationsUnknown ? UnknownActivations : MainActivation.Name;

    private const string UnknownActivations = "its activations (functions the trace does not name)";

    /// <summary>True when every dense layer followed by an activation is normalized before it (what inserting norms would do).</summary>
    public bool FullyNormalized => AllHidden(l => l.Activation is null || l.Normalized);

    /// <summary>True when some dense layer lies inside a residual block.</summary>
    public bool HasResidualBlocks => Any(l => l.InResidualBlock);

    /// <summary>True when every hidden dense layer after the first (the stem) lies inside a residual block.</summary>
    public bool FullyResidual
    {
        get
        {
            for (int l = 1; l < Layers.Count - 1; l++)
            {
                if (!Layers[l].InResidualBlock)
                    return false;
            }

            return HasResidualBlocks;
        }
    }

    /// <summary>True when some hidden activation squashes (sigmoid, tanh, hard-tanh, softsign).</summary>
    public bool HasSquashing => Any(l => l.Activation?.IsSquashing == true);

    /// <summary>True when every hidden activation is of the ReLU family.</summary>
    public bool AllReluFamily => Activations.Count > 0 && AllActivations(a => a.IsReluFamily);

    /// <summary>Names of the distinct hidden activations, e.g. <c>sigmoid</c> or <c>tanh and relu</c>.</summary>
    public string ActivationNames
    {
        get
        {
            var names = new List<string>();
            foreach (var a in Activations)
                names.Add(a.Name);
            if (names.Count > 0)
                return string.Join(" and ", names);
            return ActivationsUnknown ? UnknownActivations : "identity";
        }
    }

    /// <summary>
    /// True when the initializer is known and is the one recommended for <see cref="MainActivation"/>
    /// (He for the ReLU family, LeCun for SELU, Glorot otherwise; default gain, zero bias): what the
    /// recommended-init remedy would set.
    /// </summary>
    public bool UsesRecommendedInit => Initializer is { } init && init == RecommendedInitializer(MainActivation);

    /// <summary>The initializer recommended for <paramref name="activation"/>: He normal for the ReLU family, LeCun normal for SELU, Glorot uniform otherwise.</summary>
    public static Initializer RecommendedInitializer(Activation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        return activation.IsReluFamily ? new HeNormal() : activation.Name == "selu" ? new LeCunNormal() : new GlorotUniform();
    }

    /// <summary>The facts of <paramref name="spec"/>'s network initialized with <paramref name="initializer"/> (null when unknown).</summary>
    public static NetworkFacts For(NetworkSpec spec, Initializer? initializer)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var flat = new List<(LayerSpec Layer, bool InResidual)>();
        Flatten(spec.Layout(), false, flat);
        var layers = new List<DenseFacts>();
        for (int i = 0; i < flat.Count; i++)
        {
            if (flat[i].Layer is DenseSpec)
                layers.Add(Follow(flat, i));
            else if (flat[i].Layer is RecurrentSpec recurrent)
                layers.Add(new DenseFacts(Activation.Parse(recurrent.Nonlinearity), false, false));
        }

        layers.Add(new DenseFacts(null, false, false));
        return new NetworkFacts(layers, initializer);
    }

    /// <summary>
    /// Facts for a network known only by its watched layers, as a trace written outside Gradscope
    /// lists them: <paramref name="layers"/> in trace order (the output layer last, without an
    /// activation), weights from <paramref name="initializer"/> (null when unknown).
    /// </summary>
    public static NetworkFacts FromLayers(IReadOnlyList<DenseFacts> layers, Initializer? initializer)
    {
        ArgumentNullException.ThrowIfNull(layers);
        return new NetworkFacts([.. layers], initializer);
    }

    /// <summary>Facts for a plain chain of <paramref name="hiddenLayers"/> dense layers with one activation, then the output layer.</summary>
    public static NetworkFacts Plain(Activation activation, int hiddenLayers, Initializer? initializer)
    {
        var layers = new List<DenseFacts>();
        for (int i = 0; i < hiddenLayers; i++)
            layers.Add(new DenseFacts(activation, false, false));
        layers.Add(new DenseFacts(null, false, false));
        return new NetworkFacts(layers, initializer);
    }

    private static DenseFacts Follow(List<(LayerSpec Layer, bool InResidual)> flat, int denseIndex)
    {
        bool normalized = false;
        Activation? activation = null;
        for (int j = denseIndex + 1; j < flat.Count && activation is null; j++)
        {
            if (flat[j].Layer is DenseSpec)
                break;
            normalized |= flat[j].Layer is NormSpec;
            if (flat[j].Layer is ActivationSpec a)
                activation = a.Activation;
        }

        return new DenseFacts(activation, normalized, flat[denseIndex].InResidual);
    }

    private static void Flatten(IReadOnlyList<LayerSpec> layers, bool inResidual, List<(LayerSpec, bool)> flat)
    {
        foreach (var layer in layers)
        {
            if (layer is ResidualSpec residual)
                Flatten(residual.Layers, true, flat);
            else
                flat.Add((layer, inResidual));
        }
    }

    private bool Any(Func<DenseFacts, bool> test)
    {
        foreach (var layer in Layers)
        {
            if (test(layer))
                return true;
        }

        return false;
    }

    private bool AllHidden(Func<DenseFacts, bool> test)
    {
        for (int l = 0; l < Layers.Count - 1; l++)
        {
            if (!test(Layers[l]))
                return false;
        }

        return Layers.Count > 1;
    }

    private bool AllActivations(Func<Activation, bool> test)
    {
        foreach (var a in Activations)
        {
            if (!test(a))
                return false;
        }

        return true;
    }
}
