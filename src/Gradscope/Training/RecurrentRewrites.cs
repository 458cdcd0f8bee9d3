namespace Gradscope.Training;

/// <summary>Layer-list rewrites of a recurrent network's first layer, for the remedies of vanishing through time.</summary>
public static class RecurrentRewrites
{
    /// <summary>
    /// <paramref name="layers"/> with its recurrent layer made a <paramref name="cell"/> of the same
    /// size, output and module path (an LSTM with <paramref name="forgetBias"/>); unchanged when it has none.
    /// </summary>
    public static IReadOnlyList<LayerSpec> SwapCell(IReadOnlyList<LayerSpec> layers, string cell, double? forgetBias = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0 || layers[0] is not RecurrentSpec r)
            return layers;
        var swapped = new RecurrentSpec(cell, r.Hidden, r.Sequence) { Module = r.Module, ForgetBias = cell == "lstm" ? forgetBias : null };
        return [swapped, .. layers.Skip(1)];
    }

    /// <summary><paramref name="layers"/> with its LSTM's forget-gate bias set to <paramref name="bias"/>; unchanged for other layers.</summary>
    public static IReadOnlyList<LayerSpec> SetForgetBias(IReadOnlyList<LayerSpec> layers, double bias)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0 || layers[0] is not RecurrentSpec { Cell: "lstm" } r)
            return layers;
        return [r with { ForgetBias = bias }, .. layers.Skip(1)];
    }
}
