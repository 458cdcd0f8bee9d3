using System.Globalization;
using CsCheck;
using Gradscope.Diagnostics;

namespace Gradscope.Tests.Diagnostics;

public sealed class DecadeBinsTests
{
    [Fact]
    public void Bin_OfEveryDouble_IsTheClampedFloorOfItsLog10()
    {
        Gen.Double.Sample(x => Assert.Equal(Reference(x), DecadeBins.Of(x)), iter: 200_000);
    }

    [Fact]
    public void Bin_OfEveryFloat_IsTheClampedFloorOfItsLog10()
    {
        Gen.Float.Sample(x => Assert.Equal(Reference(x), DecadeBins.Of(x)), iter: 200_000);
    }

    [Fact]
    public void Bin_AtAndAroundEveryPowerOfTen_ChangesExactlyAtThePower()
    {
        for (int k = -320; k <= 308; k++)
        {
            double power = PowerOfTen(k);
            foreach (double x in new[] { power, Math.BitDecrement(power), Math.BitIncrement(power), -power })
                Assert.Equal(Reference(x), DecadeBins.Of(x));
        }
    }

    [Fact]
    public void Bin_OfSpecialValues_UsesTheZeroNonFiniteAndEdgeBins()
    {
        Assert.Equal(Histograms.ZeroBin, DecadeBins.Of(0.0));
        Assert.Equal(Histograms.ZeroBin, DecadeBins.Of(-0.0));
        Assert.Equal(Histograms.NonFiniteBin, DecadeBins.Of(double.NaN));
        Assert.Equal(Histograms.NonFiniteBin, DecadeBins.Of(double.NegativeInfinity));
        Assert.Equal(0, DecadeBins.Of(double.Epsilon));
        Assert.Equal(Histograms.ZeroBin - 1, DecadeBins.Of(double.MaxValue));
        Assert.Equal(-3 - Histograms.MinDecade, DecadeBins.Of(0.00123));
        Assert.Equal(2 - Histograms.MinDecade, DecadeBins.Of(-100.0));
    }

    // The definition: the largest k with |x| >= (the double nearest 10^k), clamped to the decade bins.
    private static int Reference(double x)
    {
        double m = Math.Abs(x);
        if (!double.IsFinite(m))
            return Histograms.NonFiniteBin;
        if (m == 0)
            return Histograms.ZeroBin;
        int k = (int)Math.Floor(Math.Log10(m));
        while (k > -400 && m < PowerOfTen(k))
            k--;
        while (k < 400 && m >= PowerOfTen(k + 1))
            k++;
        return Math.Clamp(k - Histograms.MinDecade, 0, Histograms.ZeroBin - 1);
    }

    private static double PowerOfTen(int k) => double.Parse($"1e{k}", CultureInfo.InvariantCulture);
}
