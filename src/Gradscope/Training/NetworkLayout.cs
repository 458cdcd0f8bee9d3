using Gradscope.Activations;

namespace Gradscope.Training;

/// <summary>
/// Turns the flags of a <see cref="NetworkSpec"/> (hidden widths, activation, norm, residual,
/// dropout) into its hidden layout; the exact layouts are documented on <see cref="NetworkSpec"/>.
/// </summary>
internal static class NetworkLayout
{
    public static List<LayerSpec> Hidden(IReadOnlyList<int> widths, Activation activation, NormKind norm, ResidualStyle residual, double dropout)
    {
        var parts = new Parts(activation, norm, dropout);
        return residual switch
        {
            ResidualStyle.None => Plain(widths, parts),
            ResidualStyle.PreActivation => PreActivation(widths, parts),
            ResidualStyle.PostActivation => PostActivation(widths, parts),
            _ => throw new ArgumentOutOfRangeException(nameof(residual), residual, "Unknown residual style."),
        };
    }

    // Dense, [norm], act, [dropout] per hidden layer.
    private static List<LayerSpec> Plain(IReadOnlyList<int> widths, Parts parts)
    {
        var layers = new List<LayerSpec>();
        foreach (int width in widths)
        {
            layers.Add(new DenseSpec(width));
            parts.NormActDropout(layers);
        }

        return layers;
    }

    // Stem dense; blocks res([norm], act, [dropout], dense, [norm], act, [dropout], dense); then [norm], act, [dropout].
    private static List<LayerSpec> PreActivation(IReadOnlyList<int> widths, Parts parts)
    {
        var layers = new List<LayerSpec>();
        if (widths.Count == 0)
            return layers;
        layers.Add(new DenseSpec(widths[0]));
        for (int i = 1; i < widths.Count; i += 2)
        {
            var body = new List<LayerSpec>();
            for (int j = i; j < Math.Min(i + 2, widths.Count); j++)
            {
                parts.NormActDropout(body);
                body.Add(new DenseSpec(widths[j]));
            }

            layers.Add(new ResidualSpec(body));
        }

        parts.NormActDropout(layers);
        return layers;
    }

    // Stem dense, [norm], act, [dropout]; blocks res(dense, [norm], act, [dropout], dense, [norm]), act, [dropout].
    private static List<LayerSpec> PostActivation(IReadOnlyList<int> widths, Parts parts)
    {
        var layers = new List<LayerSpec>();
        if (widths.Count == 0)
            return layers;
        layers.Add(new DenseSpec(widths[0]));
        parts.NormActDropout(layers);
        for (int i = 1; i < widths.Count; i += 2)
        {
            var body = new List<LayerSpec>();
            int end = Math.Min(i + 2, widths.Count);
            for (int j = i; j < end; j++)
            {
                body.Add(new DenseSpec(widths[j]));
                if (j + 1 < end)
                    parts.NormActDropout(body);
                else
                    parts.Norm(body);
            }

            layers.Add(new ResidualSpec(body));
            parts.ActDropout(layers);
        }

        return layers;
    }

    private sealed class Parts(Activation activation, NormKind norm, double dropout)
    {
        public void Norm(List<LayerSpec> layers)
        {
            if (norm != NormKind.None)
                layers.Add(new NormSpec(norm));
        }

        public void ActDropout(List<LayerSpec> layers)
        {
            layers.Add(new ActivationSpec(activation));
            if (dropout > 0)
                layers.Add(new DropoutSpec(dropout));
        }

        public void NormActDropout(List<LayerSpec> layers)
        {
            Norm(layers);
            ActDropout(layers);
        }
    }
}
