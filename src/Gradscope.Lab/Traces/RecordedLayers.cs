using System.Numerics;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Layers;

namespace Gradscope.Lab.Traces;

/// <summary>The <see cref="RecordedLayer"/> list of a network or, failing that, of a trace alone.</summary>
public static class RecordedLayers
{
    /// <summary>The watched dense layers of <paramref name="network"/> (the monitor's layer order), with the activation each feeds.</summary>
    public static IReadOnlyList<RecordedLayer> Of<T>(Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var watched = MonitoredLayers.Find(network);
        var layers = new RecordedLayer[watched.Count];
        for (int i = 0; i < layers.Length; i++)
        {
            var w = watched[i];
            string activation = w.Activation?.Activation.Name ?? "identity";
            layers[i] = new RecordedLayer(new LayerRef(i + 1, w.Name), "dense", activation, w.Dense.InputSize, w.Dense.OutputSize);
        }

        return layers;
    }

    /// <summary>
    /// What a trace alone says: dense layers, the trace's hidden activation on every layer but the
    /// last (the head, identity), as the dense networks Gradscope builds are laid out.
    /// </summary>
    public static IReadOnlyList<RecordedLayer> From(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var layers = new RecordedLayer[trace.LayerCount];
        for (int i = 0; i < layers.Length; i++)
        {
            string activation = i == layers.Length - 1 ? "identity" : trace.Activation;
            layers[i] = new RecordedLayer(LayerRef.At(trace.LayerNames, i), "dense", activation, trace.LayerInputs[i], trace.LayerWidths[i]);
        }

        return layers;
    }
}
