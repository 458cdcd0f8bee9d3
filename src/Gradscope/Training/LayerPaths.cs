using System.Globalization;
using Gradscope.Initialization;
using Gradscope.Layers;

namespace Gradscope.Training;

/// <summary>
/// The module paths a layout's layers get in the built network, made explicit: a rewrite of a
/// layout whose paths are pinned keeps every old layer's tensor names, so weights carry over by
/// name (<see cref="Serialization.StartingWeights"/>), and a layer it inserts takes a free name.
/// </summary>
public static class LayerPaths
{
    /// <summary>
    /// <paramref name="layers"/> and <paramref name="outputModule"/> with every module path given, as
    /// <see cref="LayerTree"/> names the network they build: by index where none is given, a
    /// residual block's body under <c>PATH.body</c>.
    /// </summary>
    public static (IReadOnlyList<LayerSpec> Layers, string OutputModule) Pin(IReadOnlyList<LayerSpec> layers, string? outputModule)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var given = new HashSet<string>(StringComparer.Ordinal);
        CollectGiven(layers, given);
        if (outputModule is not null)
            given.Add(outputModule);
        var pinned = Pin(layers, string.Empty, given);
        return (pinned, outputModule ?? ByIndex(string.Empty, layers.Count, given));
    }

    /// <summary>Each dense layer's own initializer (null: the network's), by module path; layers without a path are left out.</summary>
    public static IReadOnlyDictionary<string, Initializer?> DenseInits(IReadOnlyList<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var inits = new Dictionary<string, Initializer?>(StringComparer.Ordinal);
        CollectInits(layers, inits);
        return inits;
    }

    /// <summary>
    /// The module paths of the dense layers that <paramref name="after"/> gives an initializer of
    /// their own that <paramref name="before"/> did not: the layers a rewrite re-initializes.
    /// </summary>
    public static IReadOnlySet<string> Reinitialized(IReadOnlyList<LayerSpec> before, IReadOnlyList<LayerSpec> after)
    {
        var old = DenseInits(before);
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (module, init) in DenseInits(after))
        {
            if (init is not null && !(old.TryGetValue(module, out var was) && was == init))
                result.Add(module);
        }

        return result;
    }

    private static List<LayerSpec> Pin(IReadOnlyList<LayerSpec> layers, string parent, HashSet<string> given)
    {
        var result = new List<LayerSpec>(layers.Count);
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            string path = layer.Module ?? ByIndex(parent, i, given);
            result.Add(layer is ResidualSpec residual
                ? new ResidualSpec(Pin(residual.Layers, ModulePath.Join(path, "body"), given)) { Module = path }
                : layer with { Module = path });
        }

        return result;
    }

    // LayerTree's rule: an index already given to another layer becomes INDEX_1, INDEX_2, ...
    private static string ByIndex(string parent, int index, HashSet<string> given)
    {
        string name = ModulePath.Join(parent, index.ToString(CultureInfo.InvariantCulture));
        for (int k = 1; given.Contains(name); k++)
            name = ModulePath.Join(parent, string.Create(CultureInfo.InvariantCulture, $"{index}_{k}"));
        return name;
    }

    private static void CollectGiven(IReadOnlyList<LayerSpec> layers, HashSet<string> given)
    {
        foreach (var layer in layers)
        {
            if (layer.Module is { } module)
                given.Add(module);
            if (layer is ResidualSpec residual)
                CollectGiven(residual.Layers, given);
        }
    }

    private static void CollectInits(IReadOnlyList<LayerSpec> layers, Dictionary<string, Initializer?> inits)
    {
        foreach (var layer in layers)
        {
            if (layer is DenseSpec { Module: { } module } dense)
                inits[module] = dense.Init;
            else if (layer is ResidualSpec residual)
                CollectInits(residual.Layers, inits);
        }
    }
}
