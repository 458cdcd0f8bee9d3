using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Layers;

/// <summary>Shape validation at layer entries; the throw sits out of line so the checks stay cheap.</summary>
internal static class LayerChecks
{
    public static void Columns<T>(ILayer<T> layer, Matrix<T> m, int expected, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m.Cols != expected)
            Throw($"{layer.Kind} layer expects {what} with {expected} features but got {m.Cols}.");
    }

    public static void SameShape<T>(ILayer<T> layer, Matrix<T> m, Matrix<T> reference, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m.Rows != reference.Rows || m.Cols != reference.Cols)
            Throw($"{layer.Kind} layer expects {what} of shape [{reference.Rows}, {reference.Cols}] but got [{m.Rows}, {m.Cols}].");
    }

    private static void Throw(string message) => throw new GradscopeException(message);
}
