using System.Numerics;
using Gradscope.Initialization;
using Gradscope.Tensors;

namespace Gradscope.Recurrent;

/// <summary>Initialization of recurrent layers, as <c>torch.nn.RNNBase.reset_parameters</c> does it.</summary>
internal static class RecurrentInit
{
    public static void Apply<T>(RecurrentLayer<T> layer, SeededRandom rng, bool orthogonalRecurrent)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rng);
        double bound = 1.0 / Math.Sqrt(layer.HiddenSize);
        foreach (var p in layer.Parameters)
        {
            Span<T> values = p.Value.Span;
            for (int i = 0; i < values.Length; i++)
                values[i] = T.CreateTruncating(rng.NextUniform(-bound, bound));
        }

        if (orthogonalRecurrent)
            OrthogonalBlocks(layer.WeightHh.Value, layer.HiddenSize, rng);
    }

    // Each gate's [H, H] block of W_hh is its own orthogonal matrix, so every gate's recurrence
    // preserves norms at initialization.
    private static void OrthogonalBlocks<T>(Matrix<T> weight, int hidden, SeededRandom rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var block = new Matrix<T>(hidden, hidden);
        var orthogonal = new Orthogonal();
        for (int g = 0; g < weight.Rows / hidden; g++)
        {
            orthogonal.Initialize(block, rng);
            block.Span.CopyTo(weight.Span.Slice(g * hidden * hidden, hidden * hidden));
        }
    }
}
