using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Initialization;

/// <summary>Fills matrices from the seeded source; draws are in double, in row-major order, then rounded to T.</summary>
internal static class Sampling
{
    /// <summary>Fills with N(0, std^2).</summary>
    public static void Normal<T>(Matrix<T> weight, double std, SeededRandom rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(rng);
        Span<T> values = weight.Span;
        for (int i = 0; i < values.Length; i++)
            values[i] = T.CreateTruncating(std * rng.NextGaussian());
    }

    /// <summary>Fills with U[-bound, bound].</summary>
    public static void Uniform<T>(Matrix<T> weight, double bound, SeededRandom rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(rng);
        Span<T> values = weight.Span;
        for (int i = 0; i < values.Length; i++)
            values[i] = T.CreateTruncating(rng.NextUniform(-bound, bound));
    }

    /// <summary>The fan of <paramref name="weight"/> (<c>[out, in]</c>) for <paramref name="mode"/>, at least 1.</summary>
    public static int Fan<T>(Matrix<T> weight, FanMode mode)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Math.Max(1, mode == FanMode.FanIn ? weight.Cols : weight.Rows);
}
