using Gradscope.Activations;
using Gradscope.Training;

namespace Gradscope.Lab.Runs;

/// <summary>
/// Recognizes a layer list that the layout flags (<c>--layers</c>, <c>--activation</c>,
/// <c>--norm</c>, <c>--residual</c>, <c>--dropout</c>) build exactly, so a run described by its
/// layers reads as the flags' network did: same description, same network.
/// </summary>
internal static class FlagLayouts
{
    /// <summary>The flags that build <paramref name="layers"/> exactly, or null when none do.</summary>
    public static FlagLayout? Match(IReadOnlyList<LayerSpec> layers)
    {
        if (NetworkSpec.FirstActivation(layers) is not { } activation)
            return null;
        var widths = new List<int>();
        double dropout = 0;
        if (!Collect(layers, widths, ref dropout))
            return null;
        string wanted = ModelSpecJson.Write(null, layers, null);
        foreach (var norm in (NormKind[])[NormKind.None, NormKind.Batch, NormKind.Layer])
        {
            foreach (var residual in (ResidualStyle[])[ResidualStyle.None, ResidualStyle.PreActivation])
            {
                if (ModelSpecJson.Write(null, new FlagLayout(widths, activation, norm, residual, dropout).Layers(), null) != wanted)
                    continue;
                return new FlagLayout(widths, activation, norm, residual, dropout);
            }
        }

        return null;
    }

    // Dense widths in order and the first dropout's probability; false for a layer the flags never build.
    private static bool Collect(IReadOnlyList<LayerSpec> layers, List<int> widths, ref double dropout)
    {
        foreach (var layer in layers)
        {
            switch (layer)
            {
                case DenseSpec dense:
                    widths.Add(dense.Units);
                    break;
                case DropoutSpec drop when dropout == 0:
                    dropout = drop.Probability;
                    break;
                case ResidualSpec residual when !Collect(residual.Layers, widths, ref dropout):
                    return false;
                case RecurrentSpec:
                    return false;
            }
        }

        return true;
    }
}

/// <summary>What the layout flags say: dense widths, activation, norm, residual style and dropout.</summary>
internal sealed record FlagLayout(IReadOnlyList<int> Widths, Activation Activation, NormKind Norm, ResidualStyle Residual, double Dropout)
{
    /// <summary>The network these flags build for data of <paramref name="input"/> features and <paramref name="output"/> outputs.</summary>
    public NetworkSpec Network(int input, int output) =>
        new(input, Widths, output, Activation) { Norm = Norm, Residual = Residual, Dropout = Dropout };

    /// <summary>The hidden layers these flags build.</summary>
    public IReadOnlyList<LayerSpec> Layers() => Network(1, 1).Layout();
}
