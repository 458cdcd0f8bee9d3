namespace Gradscope.Recurrent;

/// <summary>
/// A diagnosis of gradient flow through time, as a plain record the general diagnosis framework
/// can adopt: <see cref="Kind"/> <c>VanishingThroughTime</c> or <c>ExplodingThroughTime</c>,
/// <see cref="Severity"/> <c>warning</c> or <c>severe</c>, the numbers that triggered it (with the
/// thresholds), the likely cause and the remedies in the order to try them.
/// </summary>
public sealed record RecurrentFinding(
    string Kind,
    string Severity,
    IReadOnlyDictionary<string, double> Evidence,
    string Cause,
    IReadOnlyList<string> Remedies);

/// <summary>What <see cref="ThroughTimeDiagnosis.VanishingThroughTime{T}"/> measured, with the finding when there is one.</summary>
/// <param name="SequenceLength">Steps in the measured profile (the shortest sequence of the window).</param>
/// <param name="MemoryHorizon">
/// Steps back from the last one until ||dL/dh_t|| first falls below <c>HorizonFraction</c> of
/// ||dL/dh_last||; <see cref="SequenceLength"/> when it never does (see <paramref name="HorizonReached"/>).
/// </param>
/// <param name="HorizonReached">True when the gradient fell below the threshold within the sequence.</param>
/// <param name="DecayPerStep">exp(slope) of the least-squares fit of ln ||dL/dh|| against steps back: below 1 vanishes, above 1 grows.</param>
/// <param name="GradientRatio">||dL/dh_first|| / ||dL/dh_last||.</param>
/// <param name="Gamma">max |phi'| on the recurrent path (1 for tanh and ReLU, 1/4 for sigmoid).</param>
/// <param name="Lambda1">Largest singular value of <c>weight_hh_l0</c>.</param>
/// <param name="BoundApplies">True for a simple RNN, the case Pascanu et al.'s bound is proved for.</param>
/// <param name="BoundImpliesVanishing">lambda_1 &lt; 1 / gamma: sufficient for the long-term gradient to vanish.</param>
/// <param name="Profile">The norm k steps back from the end, k = 0..SequenceLength-1.</param>
/// <param name="Finding">The finding, or null when the gradient reaches the first step.</param>
public sealed record ThroughTimeAnalysis(
    int SequenceLength,
    int MemoryHorizon,
    bool HorizonReached,
    double DecayPerStep,
    double GradientRatio,
    double Gamma,
    double Lambda1,
    bool BoundApplies,
    bool BoundImpliesVanishing,
    IReadOnlyList<double> Profile,
    RecurrentFinding? Finding);

/// <summary>Thresholds of <see cref="ThroughTimeDiagnosis.VanishingThroughTime{T}"/>.</summary>
public sealed record ThroughTimeOptions
{
    /// <summary>The memory horizon ends where ||dL/dh_t|| falls below this fraction of ||dL/dh_last||; default 1e-3.</summary>
    public double HorizonFraction { get; init; } = 1e-3;

    /// <summary>The profile averages the last this fraction of recorded training steps (at least one); default 0.1.</summary>
    public double WindowFraction { get; init; } = 0.1;
}
