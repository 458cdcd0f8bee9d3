using Gradscope.Activations;

namespace Gradscope.Training;

/// <summary>
/// Rewrites of a hidden layout (a layer list), the building blocks of remedies: they apply to any
/// network, however it was described, and return an equal list (<see cref="SameLayout"/>) when
/// there is nothing to change.
/// </summary>
internal static class LayerRewrites
{
    /// <summary>Every activation replaced by <paramref name="activation"/>.</summary>
    public static IReadOnlyList<LayerSpec> SwapActivations(IReadOnlyList<LayerSpec> layers, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var result = new List<LayerSpec>(layers.Count);
        foreach (var layer in layers)
        {
            result.Add(layer switch
            {
                ActivationSpec swapped => swapped with { Activation = activation },
                ResidualSpec residual => new ResidualSpec(SwapActivations(residual.Layers, activation)) { Module = residual.Module },
                _ => layer,
            });
        }

        return result;
    }

    /// <summary>
    /// A <paramref name="kind"/> norm inserted before every activation that has no norm since the
    /// last dense layer: after a dense layer in a plain chain (dense, norm, act), at the head of a
    /// pre-activation residual block (norm, act, dense). Activations with no dense layer before
    /// them get none.
    /// </summary>
    public static IReadOnlyList<LayerSpec> InsertNorms(IReadOnlyList<LayerSpec> layers, NormKind kind)
    {
        ArgumentNullException.ThrowIfNull(layers);
        bool seenDense = false;
        bool normalized = false;
        return InsertNorms(layers, new NormSpec(kind), ref seenDense, ref normalized);
    }

    /// <summary>
    /// A plain chain (no residual block) regrouped into pre-activation residual blocks, as
    /// <c>--residual</c> builds them: the first dense layer is the stem, the following dense layers
    /// go two to a block with the norm, activation and dropout before each, and what followed the
    /// last dense layer stays after the blocks. A layout that already has residual blocks, or fewer
    /// than two dense layers, is returned unchanged.
    /// </summary>
    public static IReadOnlyList<LayerSpec> WrapInResidualBlocks(IReadOnlyList<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var units = Units(layers);
        if (units is null || units.Count < 2)
            return layers;

        // units[k] = (dense_k, the layers after it up to the next dense); any lead-in before the first dense stays first.
        var result = new List<LayerSpec>(units[0].Tail.Count + 4);
        result.AddRange(LeadIn(layers));
        result.Add(units[0].Dense);
        for (int k = 1; k < units.Count; k += 2)
        {
            var body = new List<LayerSpec>();
            for (int j = k; j < Math.Min(k + 2, units.Count); j++)
            {
                body.AddRange(units[j - 1].Tail);
                body.Add(units[j].Dense);
            }

            result.Add(new ResidualSpec(body));
        }

        result.AddRange(units[^1].Tail);
        return result;
    }

    /// <summary>True when both layouts describe the same layers (the same types, widths, activations and probabilities, in the same nesting; module paths aside).</summary>
    public static bool SameLayout(IReadOnlyList<LayerSpec> a, IReadOnlyList<LayerSpec> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return ModelSpecJson.WriteStructure(a) == ModelSpecJson.WriteStructure(b);
    }

    private static List<LayerSpec> InsertNorms(IReadOnlyList<LayerSpec> layers, NormSpec norm, ref bool seenDense, ref bool normalized)
    {
        var result = new List<LayerSpec>(layers.Count + 4);
        foreach (var layer in layers)
        {
            switch (layer)
            {
                case DenseSpec:
                    (seenDense, normalized) = (true, false);
                    result.Add(layer);
                    break;
                case NormSpec:
                    normalized = true;
                    result.Add(layer);
                    break;
                case ActivationSpec:
                    if (seenDense && !normalized)
                        result.Add(norm);
                    normalized = true;
                    result.Add(layer);
                    break;
                case ResidualSpec residual:
                    result.Add(new ResidualSpec(InsertNorms(residual.Layers, norm, ref seenDense, ref normalized)) { Module = residual.Module });
                    break;
                default:
                    result.Add(layer);
                    break;
            }
        }

        return result;
    }

    private static List<(DenseSpec Dense, List<LayerSpec> Tail)>? Units(IReadOnlyList<LayerSpec> layers)
    {
        var units = new List<(DenseSpec Dense, List<LayerSpec> Tail)>();
        foreach (var layer in layers)
        {
            if (layer is ResidualSpec)
                return null;
            if (layer is DenseSpec dense)
                units.Add((dense, []));
            else if (units.Count > 0)
                units[^1].Tail.Add(layer);
        }

        return units;
    }

    private static IEnumerable<LayerSpec> LeadIn(IReadOnlyList<LayerSpec> layers)
    {
        foreach (var layer in layers)
        {
            if (layer is DenseSpec)
                yield break;
            yield return layer;
        }
    }
}
