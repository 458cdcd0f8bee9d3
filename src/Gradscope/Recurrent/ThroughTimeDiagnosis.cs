using System.Globalization;
using System.Numerics;

namespace Gradscope.Recurrent;

/// <summary>
/// Diagnoses the gradient through time of a recurrent layer from its <see cref="TimeTrace"/>, with
/// the bound of Pascanu, Mikolov and Bengio (2013): the gradient sent back k steps is at most
/// <c>(gamma lambda_1)^k</c> times the one at the end, so <c>lambda_1 &lt; 1/gamma</c> is
/// sufficient for it to vanish.
/// </summary>
public static class ThroughTimeDiagnosis
{
    /// <summary>
    /// Measures the memory horizon, the decay per step and the bound over the last
    /// <see cref="ThroughTimeOptions.WindowFraction"/> of <paramref name="trace"/>; reports a
    /// <c>VanishingThroughTime</c> finding when the gradient falls below
    /// <see cref="ThroughTimeOptions.HorizonFraction"/> of its end value within the sequence
    /// (<c>severe</c> when that happens within half the sequence), and <c>ExplodingThroughTime</c>
    /// when it grows above the inverse of that fraction.
    /// </summary>
    /// <exception cref="GradscopeException">The trace has no steps.</exception>
    public static ThroughTimeAnalysis VanishingThroughTime<T>(TimeTrace trace, RecurrentLayer<T> layer, ThroughTimeOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(layer);
        var o = options ?? new ThroughTimeOptions();
        if (trace.StepCount == 0)
            throw new GradscopeException("The time trace has no training steps to diagnose; train at least one step first.");
        int window = Math.Max(1, (int)Math.Ceiling(trace.StepCount * o.WindowFraction));
        double[] profile = trace.ProfileFromEnd(trace.StepCount - window, trace.StepCount);

        int horizon = Horizon(profile, o.HorizonFraction);
        double ratio = profile[^1] / profile[0];
        double decay = DecayPerStep(profile);
        double gamma = layer.MaxRecurrentDerivative;
        double lambda1 = SpectralNorm.Largest(layer.WeightHh.Value);
        bool applies = layer is SimpleRnn<T>;
        var analysis = new ThroughTimeAnalysis(profile.Length, horizon, horizon < profile.Length, decay, ratio, gamma, lambda1,
            applies, lambda1 < 1 / gamma, profile, null);
        return analysis with { Finding = Find(analysis, layer, o) };
    }

    // First k with profile[k] < fraction * profile[0]; the full length when none.
    private static int Horizon(double[] profile, double fraction)
    {
        for (int k = 1; k < profile.Length; k++)
        {
            if (profile[k] < fraction * profile[0])
                return k;
        }

        return profile.Length;
    }

    // exp of the least-squares slope of ln(norm) against k (steps back).
    private static double DecayPerStep(double[] profile)
    {
        int n = profile.Length;
        if (n < 2)
            return 1;
        double meanK = (n - 1) / 2.0, meanLog = 0;
        for (int k = 0; k < n; k++)
            meanLog += Math.Log(profile[k]) / n;
        double num = 0, den = 0;
        for (int k = 0; k < n; k++)
        {
            num += (k - meanK) * (Math.Log(profile[k]) - meanLog);
            den += (k - meanK) * (k - meanK);
        }

        return Math.Exp(num / den);
    }

    private static RecurrentFinding? Find<T>(ThroughTimeAnalysis a, RecurrentLayer<T> layer, ThroughTimeOptions o)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var evidence = new Dictionary<string, double>
        {
            ["sequence_length"] = a.SequenceLength,
            ["memory_horizon"] = a.MemoryHorizon,
            ["decay_per_step"] = a.DecayPerStep,
            ["gradient_ratio_first_to_last"] = a.GradientRatio,
            ["horizon_fraction_threshold"] = o.HorizonFraction,
            ["lambda1"] = a.Lambda1,
            ["gamma"] = a.Gamma,
            ["gamma_lambda1"] = a.Gamma * a.Lambda1,
        };
        if (a.HorizonReached)
        {
            string severity = a.MemoryHorizon < a.SequenceLength / 2 ? "severe" : "warning";
            return new RecurrentFinding("VanishingThroughTime", severity, evidence, VanishingCause(a, layer), VanishingRemedies(layer));
        }

        if (a.GradientRatio > 1 / o.HorizonFraction)
        {
            string cause = string.Create(CultureInfo.InvariantCulture,
                $"||dL/dh_t|| grows by a factor {a.DecayPerStep:G3} per step back, {a.GradientRatio:G3} times larger at the first step than at the last; gamma * lambda_1 = {a.Gamma * a.Lambda1:G3} > 1 allows it (Pascanu et al. 2013).");
            return new RecurrentFinding("ExplodingThroughTime", "warning", evidence, cause,
                ["Clip gradients by global norm (--clip-norm 1), as Pascanu et al. (2013) propose for the exploding side.",
                 "Scale the recurrent weight down or initialize it orthogonally, so gamma * lambda_1 is near 1."]);
        }

        return null;
    }

    private static string VanishingCause<T>(ThroughTimeAnalysis a, RecurrentLayer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string text = string.Create(CultureInfo.InvariantCulture,
            $"||dL/dh_t|| shrinks by a factor {a.DecayPerStep:G3} per step back through the {layer.Kind} layer and is below 1e-3 of its last-step value after {a.MemoryHorizon} of {a.SequenceLength} steps, so inputs further back barely affect learning.");
        if (!a.BoundApplies)
            return text;
        return text + string.Create(CultureInfo.InvariantCulture,
            $" The recurrent weight's largest singular value is lambda_1 = {a.Lambda1:G3} and max|phi'| = gamma = {a.Gamma:G3}; ") +
            (a.BoundImpliesVanishing
                ? "lambda_1 < 1/gamma, which is sufficient for the gradient to vanish exponentially (Pascanu, Mikolov and Bengio 2013)."
                : "lambda_1 >= 1/gamma, so the bound does not force vanishing; saturated or inactive units make phi' small in practice.");
    }

    private static List<string> VanishingRemedies<T>(RecurrentLayer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var remedies = new List<string>();
        if (layer is SimpleRnn<T>)
            remedies.Add("Use an LSTM or GRU: their cell (or z-gated) path carries the gradient back multiplied by a gate near 1 instead of by W_hh phi' (Hochreiter and Schmidhuber 1997; Cho et al. 2014).");
        else if (layer is Lstm<T> { ForgetGateBias: false })
            remedies.Add("Set the LSTM's forget-gate bias to 1 so the cell starts out remembering (Gers et al. 2000; Jozefowicz et al. 2015).");
        remedies.Add("Initialize the recurrent weight orthogonally: singular values of 1 put gamma * lambda_1 at the edge of the vanishing bound (Saxe et al. 2014; Le et al. 2015 use the identity with ReLU).");
        remedies.Add("Clip gradients by global norm (Pascanu et al. 2013) when a larger recurrent weight tips the gradient into exploding.");
        return remedies;
    }
}
