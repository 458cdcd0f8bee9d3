namespace Gradscope.Diagnostics;

/// <summary>
/// The decade bin of a value from its binary exponent and one comparison, instead of a logarithm
/// per element: a gradient histogram of a 784x512 layer costs a table lookup per weight. Every
/// binade [2^E, 2^(E+1)) holds at most one power of ten, so its bin is a fixed base bin, plus one
/// from that power up. Agrees with <c>floor(log10 |x|)</c> (clamped to the bins) for every finite
/// double, including subnormals, which all fall below 1e-300 into the first bin.
/// </summary>
internal static class DecadeBins
{
    private const int ExponentCount = 2048;
    private static readonly int[] BaseBin = new int[ExponentCount];
    private static readonly double[] NextDecade = new double[ExponentCount];

    static DecadeBins()
    {
        for (int biased = 1; biased < ExponentCount - 1; biased++)
        {
            int exponent = biased - 1023;
            int decade = (int)Math.Floor(exponent * Math.Log10(2));
            // exponent * log10(2) is never within 1e-5 of an integer except at 0, so the floor is exact;
            // the power of ten above the binade's start may still lie inside it.
            double power = Math.Pow(10, decade + 1);
            int low = Clamp(decade), high = Clamp(decade + 1);
            BaseBin[biased] = low;
            NextDecade[biased] = high != low && power < Math.ScaleB(1.0, exponent + 1) ? PowerOfTen(decade + 1) : double.PositiveInfinity;
        }

        BaseBin[0] = 0;
        NextDecade[0] = double.PositiveInfinity;
    }

    /// <summary>The bin of <paramref name="value"/> in <see cref="Histograms.Gradient{T}"/>'s layout.</summary>
    public static int Of(double value)
    {
        double magnitude = Math.Abs(value);
        int biased = (int)(BitConverter.DoubleToUInt64Bits(magnitude) >> 52);
        if (biased == ExponentCount - 1)
            return Histograms.NonFiniteBin;
        if (magnitude == 0)
            return Histograms.ZeroBin;
        return magnitude >= NextDecade[biased] ? BaseBin[biased] + 1 : BaseBin[biased];
    }

    private static int Clamp(int decade) => Math.Clamp(decade - Histograms.MinDecade, 0, Histograms.ZeroBin - 1);

    // The double nearest 10^k, as the parser rounds it (Math.Pow may be an ulp off at large k).
    private static double PowerOfTen(int k) => double.Parse($"1e{k}", System.Globalization.CultureInfo.InvariantCulture);
}
