using Gradscope.Activations;

namespace Gradscope.Theory;

/// <summary>The critical line: sigma_w^2 where chi_1 = 1 for a given sigma_b^2.</summary>
public sealed partial class MeanField
{
    private const double MinWeightVariance = 1e-3;
    private const double MaxWeightVariance = 1e4;

    /// <summary>
    /// The sigma_w^2 at which chi_1 = 1 for <paramref name="biasVariance"/>, the edge of chaos
    /// (tanh: 1 at sigma_b^2 = 0, about 1.7610 at 0.05); null when chi_1 stays below 1 up to
    /// sigma_w^2 = 10^4. Scans up by doubling from 10^-3, then Illinois on chi_1 - 1 to 1e-12.
    /// </summary>
    public static double? CriticalWeightVariance(Activation activation, double biasVariance)
    {
        ArgumentNullException.ThrowIfNull(activation);
        double low = MinWeightVariance;
        double lowGap = Chi1Gap(activation, low, biasVariance);
        if (lowGap >= 0)
            return null;
        for (double high = 2 * low; high <= MaxWeightVariance; high *= 2)
        {
            double highGap = Chi1Gap(activation, high, biasVariance);
            if (highGap >= 0)
                return RootFinder.Illinois(w => Chi1Gap(activation, w, biasVariance), low, high, lowGap, highGap, 1e-12);
            (low, lowGap) = (high, highGap);
        }

        return null;
    }

    private static double Chi1Gap(Activation activation, double weightVariance, double biasVariance) =>
        new MeanField(activation, weightVariance, biasVariance).Chi1 - 1;
}
