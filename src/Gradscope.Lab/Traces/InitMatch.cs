using System.Globalization;
using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Traces;

/// <summary>
/// Which initialization a traced network's weights came from, judged from the init statistics the
/// PyTorch hook records: each layer's gain <c>weight_std * sqrt(fan_in)</c> is compared with what
/// each scheme gives (He: sqrt(2); LeCun: 1; Glorot: sqrt(2 fan_in / (fan_in + fan_out));
/// PyTorch's default <c>Linear</c>/<c>Conv</c> init, kaiming_uniform with a = sqrt(5): 1/sqrt(3)).
/// The scheme recommended for the activation is tried first, so a network that already has it is
/// never offered it as a remedy.
/// </summary>
/// <param name="Initializer">The matching Gradscope initializer, or null (unknown, or PyTorch's default, which Gradscope has no name for).</param>
/// <param name="Label">How findings name the initialization (<c>he-normal</c>, <c>PyTorch's default</c>, <c>measured gain 1.2</c>, <c>unknown</c>).</param>
/// <param name="Gain">The median measured gain over the hidden layers; NaN when the trace has no init statistics.</param>
public sealed record InitMatch(Initializer? Initializer, string Label, double Gain)
{
    /// <summary>How far (relative) a layer's gain may lie from a scheme's and still count as that scheme.</summary>
    public const double Tolerance = 0.15;

    private static readonly double TorchDefaultGain = 1 / Math.Sqrt(3);

    /// <summary>Nothing known about the initialization.</summary>
    public static InitMatch Unknown { get; } = new(null, "unknown", double.NaN);

    /// <summary>Judges the hidden layers of <paramref name="layers"/> (the head is left out: it is often initialized apart) against the schemes, for <paramref name="activation"/>.</summary>
    public static InitMatch Judge(IReadOnlyList<RecordedLayer> layers, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(activation);
        var measured = new List<(double Gain, double FanIn, double FanOut)>();
        int hidden = layers.Count > 1 ? layers.Count - 1 : layers.Count;
        for (int l = 0; l < hidden; l++)
        {
            if (layers[l].Init is { } init && double.IsFinite(init.Gain) && init.FanIn > 0)
                measured.Add((init.Gain, init.FanIn, init.FanOut));
        }

        if (measured.Count == 0)
            return Unknown;
        double median = Median(measured.ConvertAll(m => m.Gain));
        var recommended = Diagnostics.NetworkFacts.RecommendedInitializer(activation);
        // The scheme that lies closest (mean |log| ratio over the layers) wins, if every layer is
        // within tolerance of it: on small layers the tolerance is wide enough for two schemes to
        // pass (PyTorch's default 0.58 and Glorot's 0.82 on a 4-to-8 layer), and the nearer one is
        // the one the weights came from. The recommended scheme wins a tie.
        Initializer?[] candidates = [recommended, new HeNormal(), new LeCunNormal(), new GlorotUniform(), null];
        Initializer? best = null;
        bool found = false;
        double bestDistance = double.PositiveInfinity;
        foreach (var candidate in candidates)
        {
            Func<(double Gain, double FanIn, double FanOut), double> expected = candidate is null ? _ => TorchDefaultGain : m => ExpectedGain(candidate, m.FanIn, m.FanOut);
            if (!Matches(measured, expected))
                continue;
            double distance = Distance(measured, expected);
            if (distance < bestDistance)
                (best, found, bestDistance) = (candidate, true, distance);
        }

        if (found)
            return best is null ? new InitMatch(null, "PyTorch's default", median) : new InitMatch(best, best.Name, median);
        return new InitMatch(null, $"measured gain {median.ToString("0.##", CultureInfo.InvariantCulture)}", median);
    }

    private static double Distance(List<(double Gain, double FanIn, double FanOut)> measured, Func<(double Gain, double FanIn, double FanOut), double> expected)
    {
        double sum = 0;
        foreach (var m in measured)
            sum += Math.Abs(Math.Log(m.Gain / expected(m)));
        return sum / measured.Count;
    }

    /// <summary>The gain <c>std * sqrt(fan_in)</c> <paramref name="initializer"/> gives a layer; NaN for schemes not judged here.</summary>
    public static double ExpectedGain(Initializer initializer, double fanIn, double fanOut) => initializer switch
    {
        HeNormal or HeUniform => Math.Sqrt(2),
        LeCunNormal or LeCunUniform => 1,
        GlorotUniform or GlorotNormal => Math.Sqrt(2 * fanIn / (fanIn + fanOut)),
        _ => double.NaN,
    };

    // Every measured layer lies within the tolerance of what the scheme gives it. A small layer's
    // sample standard deviation is itself noisy (relative standard error about 1/sqrt(2n) for n
    // weights: 9% for a 2-input layer of 32 units), so the tolerance widens to three standard errors.
    private static bool Matches(List<(double Gain, double FanIn, double FanOut)> measured, Func<(double Gain, double FanIn, double FanOut), double> expected)
    {
        foreach (var m in measured)
        {
            double e = expected(m);
            double tolerance = Math.Max(Tolerance, 3 / Math.Sqrt(2 * m.FanIn * m.FanOut));
            if (!(Math.Abs(m.Gain - e) <= tolerance * e))
                return false;
        }

        return true;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
    }
}
