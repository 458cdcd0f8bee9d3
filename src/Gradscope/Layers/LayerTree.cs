using System.Numerics;

namespace Gradscope.Layers;

/// <summary>
/// The leaf layers of a network, depth-first, each named by its module path as PyTorch's state dict
/// writes it: a <see cref="Sequential{T}"/> names its children by index, a <see cref="Residual{T}"/>
/// names its branch <c>body</c> and its projection <c>proj</c>, so a tensor's name is
/// <c>path + "." + parameter name</c> (<c>0.weight</c>, <c>3.body.2.bias</c>, <c>3.proj.weight</c>).
/// </summary>
public static class LayerTree
{
    /// <summary>Every leaf under <paramref name="root"/> in state-dict order (a leaf root is its own leaf with path "").</summary>
    public static IReadOnlyList<NamedLayer<T>> Leaves<T>(ILayer<T> root)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(root);
        var leaves = new List<NamedLayer<T>>();
        Collect(root, string.Empty, leaves);
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

    private static void Collect<T>(ILayer<T> layer, string path, List<NamedLayer<T>> leaves)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (layer)
        {
            case Sequential<T> sequential:
                for (int i = 0; i < sequential.Layers.Count; i++)
                    Collect(sequential.Layers[i], Join(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), leaves);
                break;
            case Residual<T> residual:
                Collect(residual.Body, Join(path, Residual<T>.BodyName), leaves);
                if (residual.Projection is not null)
                    Collect(residual.Projection, Join(path, Residual<T>.ProjectionName), leaves);
                break;
            default:
                leaves.Add(new NamedLayer<T>(path, layer));
                break;
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}

/// <summary>A leaf layer and its module path in the state dict (<c>3.body.0</c>).</summary>
public readonly record struct NamedLayer<T>(string Path, ILayer<T> Layer)
    where T : unmanaged, IFloatingPointIeee754<T>;
