using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Theory;
using Gradscope.Training;

namespace Gradscope.Diagnostics;

/// <summary>What the rules look at: the trace, the network that made it, and the thresholds.</summary>
public sealed record DiagnosisContext(Trace Trace, NetworkFacts Network, DiagnosisThresholds Thresholds)
{
    /// <summary>The mean-field prediction for the configuration, when it is a plain dense network; rules cite it as evidence.</summary>
    public Preflight? Preflight { get; init; }

    /// <summary>How findings name the initialization: the initializer's name, or a label such as "the model file's" when the weights were loaded.</summary>
    public string Initializer { get; init; } = Network.Initializer?.Name ?? "unknown";

    /// <summary>The activation after most hidden layers (see <see cref="NetworkFacts.MainActivation"/>).</summary>
    public Activation Activation => Network.MainActivation;

    /// <summary>
    /// Creates a context for a trace of the network <paramref name="spec"/> initialized with
    /// <paramref name="initializer"/> (null when unknown, such as weights loaded from a file), with
    /// its <see cref="Preflight"/> when the theory applies.
    /// </summary>
    public static DiagnosisContext For(Trace trace, NetworkSpec spec, Initializer? initializer, DiagnosisThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(spec);
        var preflight = initializer is null ? null : Preflight.For(spec, initializer);
        return new(trace, NetworkFacts.For(spec, initializer), thresholds ?? DiagnosisThresholds.Default) { Preflight = preflight };
    }

    /// <summary>The facts of trace layer <paramref name="layer"/>; none known (no activation) when the network lists fewer layers than the trace.</summary>
    public DenseFacts LayerFacts(int layer) => layer < Network.Layers.Count ? Network.Layers[layer] : default;

    /// <summary>Steps [0, n) of the early window: at least 1 and at most 50 steps.</summary>
    public int EarlyEnd => Math.Clamp((int)Math.Ceiling(Trace.StepCount * Thresholds.EarlyWindowFraction), 1, 50);

    /// <summary>First step of the late window.</summary>
    public int LateStart => LateStartOf(Trace.StepCount, Thresholds);

    /// <summary>First step of the late window of a trace of <paramref name="steps"/> steps.</summary>
    internal static int LateStartOf(int steps, DiagnosisThresholds thresholds) =>
        Math.Max(0, steps - Math.Max(1, (int)Math.Ceiling(steps * thresholds.LateWindowFraction)));

    /// <summary>Per-layer median of <paramref name="stat"/> over the early window.</summary>
    public double[] Early(LayerStat stat) => Trace.MedianOver(stat, 0, EarlyEnd);

    /// <summary>Per-layer median of <paramref name="stat"/> over the late window.</summary>
    public double[] Late(LayerStat stat) => Trace.MedianOver(stat, LateStart, Trace.StepCount);

    /// <summary>Severity for a value against warning and error thresholds, or null when below both.</summary>
    public static Severity? Grade(double value, double warning, double error) =>
        value >= error ? Severity.Error : value >= warning ? Severity.Warning : null;
}
