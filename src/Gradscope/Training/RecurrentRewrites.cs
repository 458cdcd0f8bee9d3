namespace Gradscope.Training;

/// <summary>Layer-list rewrites of a recurrent network's recurrent layers, for the remedies of vanishing through time.</summary>
public static class RecurrentRewrites
{
    /// <summary>
    /// <paramref name="layers"/> with each recurrent layer made a <paramref name="cell"/> of the same
    /// size, output and module path (an LSTM with <paramref name="forgetBias"/>); unchanged when it has none.
    /// </summary>
    public static IReadOnlyList<LayerSpec> SwapCell(IReadOnlyList<LayerSpec> layers, string cell, double? forgetBias = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var result = new LayerSpec[layers.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = layers[i] is RecurrentSpec r
                ? new RecurrentSpec(cell, r.Hidden, r.Sequence) { Module = r.Module, ForgetBias = cell == "lstm" ? forgetBias : null }
                : layers[i];
        }

        return result;
    }

    /// <summary><paramref name="layers"/> with each LSTM's forget-gate bias set to <paramref name="bias"/>; other layers unchanged.</summary>
    public static IReadOnlyList<LayerSpec> SetForgetBias(IReadOnlyList<LayerSpec> layers, double bias)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var result = new LayerSpec[layers.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = layers[i] is RecurrentSpec { Cell: "lstm" } r ? r with { ForgetBias = bias } : layers[i];
        return result;
    }
}
