using System.Numerics;
using Gradscope.Layers;

namespace Gradscope.Diagnostics;

/// <summary>A dense layer the probes watch: its state-dict prefix, the layer, and the activation that consumes its output.</summary>
internal readonly record struct MonitoredLayer<T>(string Name, Dense<T> Dense, ActivationLayer<T>? Activation)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// Finds the dense layers along a network's main path, input to output, inside residual blocks
/// too (prefixes like <c>3.body.2</c>). Projections on skip paths are left out: they sit beside the
/// main path, not along its depth. Each dense layer is paired with the next activation in forward
/// order, looking past normalization and dropout (a norm layer between a dense layer and its
/// activation is the usual layout).
/// </summary>
internal static class MonitoredLayers
{
    /// <summary>The watched dense layers of <paramref name="network"/>, in forward order.</summary>
    public static IReadOnlyList<MonitoredLayer<T>> Find<T>(Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var leaves = LayerTree.Leaves(network);
        var result = new List<MonitoredLayer<T>>();
        for (int i = 0; i < leaves.Count; i++)
        {
            if (leaves[i].Layer is not Dense<T> dense || leaves[i].OnSkipPath)
                continue;
            result.Add(new MonitoredLayer<T>(leaves[i].Path, dense, NextActivation(leaves, i)));
        }

        return result;
    }

    private static ActivationLayer<T>? NextActivation<T>(IReadOnlyList<NamedLayer<T>> leaves, int denseIndex)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = denseIndex + 1; j < leaves.Count; j++)
        {
            switch (leaves[j].Layer)
            {
                case ActivationLayer<T> activation:
                    return activation;
                case Dense<T>:
                    return null;
            }
        }

        return null;
    }
}
