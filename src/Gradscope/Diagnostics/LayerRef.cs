using System.Globalization;

namespace Gradscope.Diagnostics;

/// <summary>
/// A watched dense layer as every output names it: its number along the main path, counted from 1
/// at the input (residual projections left out), and its module path in the state dict. Text shows
/// <c>layer 3 (4)</c>; JSON writes <c>{"layer": 3, "name": "4"}</c>. The number is the same in
/// tables, findings, traces and exports.
/// </summary>
/// <param name="Number">Position along the main path, from 1.</param>
/// <param name="Name">Module path (<c>4</c>, <c>net.3</c>, <c>1.body.2</c>).</param>
public readonly record struct LayerRef(int Number, string Name)
{
    /// <summary>The layer at 0-based <paramref name="index"/> of <paramref name="names"/> (a trace's layer order).</summary>
    public static LayerRef At(IReadOnlyList<string> names, int index)
    {
        ArgumentNullException.ThrowIfNull(names);
        return new LayerRef(index + 1, index >= 0 && index < names.Count ? names[index] : (index + 1).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>layer 3 (4)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"layer {Number} ({Name})");
}
