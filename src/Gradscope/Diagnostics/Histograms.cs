using System.Numerics;

namespace Gradscope.Diagnostics;

/// <summary>What a histogram counts.</summary>
public enum HistogramKind
{
    /// <summary>log10 |dLoss/dW| in decade bins.</summary>
    Gradient,

    /// <summary>The layer's output (after its activation) in fixed bins over the activation's range.</summary>
    Activation,
}

/// <summary>One histogram of one layer at one step.</summary>
public sealed record HistogramRecord(int Step, int Layer, HistogramKind Kind, int[] Counts);

/// <summary>
/// Fixed binnings, so histograms of different steps and runs compare directly. Gradients: one bin
/// per decade from 1e-300 to 1e+30 (wide enough for float64), plus a bin for exact zeros and one for
/// NaN or infinity. Activations: 20 equal bins over the activation's natural range plus underflow
/// and overflow bins.
/// </summary>
public static class Histograms
{
    /// <summary>Lowest decade: the first bin holds |g| in (0, 1e-299), subnormals included.</summary>
    public const int MinDecade = -300;

    /// <summary>Highest decade: the last decade bin holds |g| &gt;= 1e29.</summary>
    public const int MaxDecade = 30;

    /// <summary>Decade bins, then the zero bin, then the non-finite bin.</summary>
    public const int GradientBins = MaxDecade - MinDecade + 2;

    /// <summary>Index of the exact-zero bin.</summary>
    public const int ZeroBin = MaxDecade - MinDecade;

    /// <summary>Index of the NaN/infinity bin.</summary>
    public const int NonFiniteBin = ZeroBin + 1;

    /// <summary>Equal-width activation bins between the range's ends.</summary>
    public const int ActivationBins = 20;

    /// <summary>Lower edge of decade bin <paramref name="bin"/>: 10^(MinDecade + bin).</summary>
    public static double DecadeLowerEdge(int bin) => Math.Pow(10, MinDecade + bin);

    /// <summary>Counts log10 |values| into decade bins.</summary>
    public static int[] Gradient<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var counts = new int[GradientBins];
        foreach (var v in values)
            counts[DecadeBins.Of(double.CreateTruncating(v))]++;
        return counts;
    }

    /// <summary>The (low, high) range activation histograms use for <paramref name="activation"/>.</summary>
    public static (double Low, double High) ActivationRange(string activation) => activation switch
    {
        "sigmoid" => (0, 1),
        "tanh" or "hard-tanh" or "softsign" => (-1, 1),
        _ => (-5, 5),
    };

    /// <summary>Counts values into <see cref="ActivationBins"/> bins plus underflow (first) and overflow (last).</summary>
    public static int[] Activation<T>(ReadOnlySpan<T> values, double low, double high)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var counts = new int[ActivationBins + 2];
        double scale = ActivationBins / (high - low);
        foreach (var v in values)
        {
            double d = double.CreateTruncating(v);
            if (double.IsNaN(d) || d < low)
                counts[0]++;
            else if (d > high)
                counts[^1]++;
            else
                counts[1 + Math.Min(ActivationBins - 1, (int)((d - low) * scale))]++;
        }

        return counts;
    }
}
