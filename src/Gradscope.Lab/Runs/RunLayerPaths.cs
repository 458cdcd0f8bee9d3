using Gradscope.Training;

namespace Gradscope.Lab.Runs;

/// <summary>A run's layer list with its module paths pinned (see <see cref="LayerPaths"/>).</summary>
public static class RunLayerPaths
{
    /// <summary>
    /// <paramref name="spec"/> with every module path of its network given, the output layer's
    /// included (see <see cref="LayerPaths.Pin(IReadOnlyList{LayerSpec}, string?)"/>): the same
    /// network under the same tensor names, ready for rewrites that keep them.
    /// </summary>
    public static RunSpec Pin(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (layers, output) = LayerPaths.Pin(spec.Network.Layers, spec.Network.OutputModule);
        return spec with { Network = spec.Network with { Layers = layers, OutputModule = output } };
    }
}
