using Gradscope.Initialization;

namespace Gradscope.Training;

/// <summary>What a layer list says about single layers: module paths and initializers of their own.</summary>
public sealed partial record NetworkSpec
{
    // Each dense layer's own initializer (null: the network's), in the order LayerTree visits the
    // dense leaves: a residual block's body, then its projection when it has one (never its own init).
    private static List<Initializer?> DenseInitializers(IReadOnlyList<LayerSpec> layers, int inputWidth, List<Initializer?>? result = null)
    {
        result ??= [];
        int width = inputWidth;
        foreach (var layer in layers)
        {
            if (layer is DenseSpec dense)
                result.Add(dense.Init);
            if (layer is ResidualSpec residual)
            {
                DenseInitializers(residual.Layers, width, result);
                if (residual.OutputWidth(width) != width)
                    result.Add(null);
            }

            width = layer.OutputWidth(width);
        }

        return result;
    }

    private static void CheckModulesUnique(IReadOnlyList<LayerSpec> layers, string? outputModule)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (outputModule is not null)
            seen.Add(outputModule);
        CheckModulesUnique(layers, seen);
    }

    private static void CheckModulesUnique(IReadOnlyList<LayerSpec> layers, HashSet<string> seen)
    {
        foreach (var layer in layers)
        {
            if (layer.Module is { } module && !seen.Add(module))
                throw new GradscopeException($"The module path \"{module}\" is given to two layers; each layer's path is its own.");
            if (layer is ResidualSpec residual)
                CheckModulesUnique(residual.Layers, seen);
        }
    }
}
