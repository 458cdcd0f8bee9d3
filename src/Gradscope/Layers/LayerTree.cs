using System.Globalization;
using System.Numerics;

namespace Gradscope.Layers;

/// <summary>
/// The leaf layers of a network, depth-first, each named by its module path as PyTorch's state dict
/// writes it: a <see cref="Sequential{T}"/> names its children by index, a <see cref="Residual{T}"/>
/// names its branch <c>body</c> and its projection <c>proj</c>, so a tensor's name is
/// <c>path + "." + parameter name</c> (<c>0.weight</c>, <c>3.body.2.bias</c>, <c>3.proj.weight</c>).
/// </summary>
/// <remarks>
/// A child given its module path (<see cref="Sequential{T}.ModuleOf"/>, from a model spec's
/// <c>"module"</c> or a loaded file) keeps it, whole from the root. A child named by its index never
/// takes a path given to another layer: when its index is taken (a norm a remedy inserted into a
/// network loaded from PyTorch, whose <c>2</c> is a Linear), it becomes <c>2_1</c> (then
/// <c>2_2</c>, ...), which no <c>nn.Sequential</c> index can be.
/// </remarks>
public static class LayerTree
{
    /// <summary>Every leaf under <paramref name="root"/> in state-dict order (a leaf root is its own leaf with path "").</summary>
    public static IReadOnlyList<NamedLayer<T>> Leaves<T>(ILayer<T> root)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(root);
        var given = new HashSet<string>(StringComparer.Ordinal);
        CollectGiven(root, given);
        var leaves = new List<NamedLayer<T>>();
        Collect(root, string.Empty, false, given, leaves);
        return leaves;
    }

    /// <summary>Every leaf of type <typeparamref name="TLayer"/> under <paramref name="root"/>, in state-dict order.</summary>
    public static IReadOnlyList<TLayer> OfType<TLayer, T>(ILayer<T> root)
        where TLayer : class, ILayer<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new List<TLayer>();
        foreach (var leaf in Leaves(root))
        {
            if (leaf.Layer is TLayer match)
                result.Add(match);
        }

        return result;
    }

    private static void Collect<T>(ILayer<T> layer, string path, bool onSkipPath, HashSet<string> given, List<NamedLayer<T>> leaves)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (layer)
        {
            case Sequential<T> sequential:
                for (int i = 0; i < sequential.Layers.Count; i++)
                    Collect(sequential.Layers[i], sequential.ModuleOf(i) ?? ByIndex(path, i, given), onSkipPath, given, leaves);
                break;
            case Residual<T> residual:
                Collect(residual.Body, ModulePath.Join(path, Residual<T>.BodyName), onSkipPath, given, leaves);
                if (residual.Projection is not null)
                    Collect(residual.Projection, ModulePath.Join(path, Residual<T>.ProjectionName), true, given, leaves);
                break;
            default:
                leaves.Add(new NamedLayer<T>(path, layer, onSkipPath));
                break;
        }
    }

    private static string ByIndex(string parent, int index, HashSet<string> given)
    {
        string name = ModulePath.Join(parent, index.ToString(CultureInfo.InvariantCulture));
        for (int k = 1; given.Contains(name); k++)
            name = ModulePath.Join(parent, string.Create(CultureInfo.InvariantCulture, $"{index}_{k}"));
        return name;
    }

    private static void CollectGiven<T>(ILayer<T> layer, HashSet<string> given)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (layer)
        {
            case Sequential<T> sequential:
                for (int i = 0; i < sequential.Layers.Count; i++)
                {
                    if (sequential.ModuleOf(i) is { } module)
                        given.Add(module);
                    CollectGiven(sequential.Layers[i], given);
                }

                break;
            case Residual<T> residual:
                CollectGiven(residual.Body, given);
                break;
        }
    }
}

/// <summary>
/// A leaf layer, its module path in the state dict (<c>3.body.0</c>), and whether it sits on a
/// residual block's skip path (a projection) rather than along the network's depth.
/// </summary>
public readonly record struct NamedLayer<T>(string Path, ILayer<T> Layer, bool OnSkipPath = false)
    where T : unmanaged, IFloatingPointIeee754<T>;
