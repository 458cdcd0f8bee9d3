using System.Globalization;

namespace Gradscope.Lab.Sweeps;

/// <summary>
/// The draws of a random search: SplitMix64 from the search's seed, so the same definition expands
/// to the same points on every machine and .NET version (System.Random promises neither).
/// </summary>
internal sealed class SweepRandom(int seed)
{
    private ulong _state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL) ^ 0xD1B54A32D192ED03UL;

    /// <summary>The value of <paramref name="parameter"/> for the next point, as option text (6 significant digits for numbers).</summary>
    public string Draw(RandomParameter parameter)
    {
        double u = NextUnit();
        switch (parameter.Distribution)
        {
            case RandomDistribution.Choice:
                return parameter.Choices[Math.Min((int)(u * parameter.Choices.Count), parameter.Choices.Count - 1)];
            case RandomDistribution.LogUniform:
                double logLow = Math.Log(parameter.Low), logHigh = Math.Log(parameter.High);
                return Text(Math.Exp(logLow + (u * (logHigh - logLow))));
            default:
                return Text(parameter.Low + (u * (parameter.High - parameter.Low)));
        }
    }

    private static string Text(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    // A double in [0, 1) from the top 53 bits.
    private double NextUnit() => (Next() >> 11) * (1.0 / (1UL << 53));

    private ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
