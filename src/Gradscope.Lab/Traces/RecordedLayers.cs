using System.Numerics;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Traces;

/// <summary>The <see cref="RecordedLayer"/> list of a network or, failing that, of a trace alone.</summary>
public static class RecordedLayers
{
    /// <summary>The layers <paramref name="monitor"/> watches, in its trace's order, with the kind and activation of each.</summary>
    public static IReadOnlyList<RecordedLayer> Of<T>(GradientMonitor<T> monitor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(monitor);
        var layers = new RecordedLayer[monitor.Layers.Count];
        for (int i = 0; i < layers.Length; i++)
        {
            var w = monitor.Layers[i];
            layers[i] = new RecordedLayer(w.Layer, w.Kind, w.Activation, w.Inputs, w.Units);
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
