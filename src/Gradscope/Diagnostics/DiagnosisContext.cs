using Gradscope.Activations;
using Gradscope.Theory;
using Gradscope.Training;

namespace Gradscope.Diagnostics;

/// <summary>What the rules look at: the trace, the network's activation and initializer, and the thresholds.</summary>
public sealed record DiagnosisContext(Trace Trace, Activation Activation, string Initializer, DiagnosisThresholds Thresholds)
{
    /// <summary>The mean-field prediction for the configuration, when it is a plain dense network; rules cite it as evidence.</summary>
    public Preflight? Preflight { get; init; }

    /// <summary>Creates a context from a run configuration, with its <see cref="Preflight"/> when the theory applies.</summary>
    public static DiagnosisContext For(Trace trace, RunConfig config, DiagnosisThresholds? thresholds = null) =>
        new(trace, config.ParsedActivation, config.ParsedInitializer.Name, thresholds ?? DiagnosisThresholds.Default) { Preflight = Preflight.For(config) };

    /// <summary>Steps [0, n) of the early window: at least 1 and at most 50 steps.</summary>
    public int EarlyEnd => Math.Clamp((int)Math.Ceiling(Trace.StepCount * Thresholds.EarlyWindowFraction), 1, 50);

    /// <summary>First step of the late window.</summary>
    public int LateStart => Math.Max(0, Trace.StepCount - Math.Max(1, (int)Math.Ceiling(Trace.StepCount * Thresholds.LateWindowFraction)));

    /// <summary>Per-layer median of <paramref name="stat"/> over the early window.</summary>
    public double[] Early(LayerStat stat) => Trace.MedianOver(stat, 0, EarlyEnd);

    /// <summary>Per-layer median of <paramref name="stat"/> over the late window.</summary>
    public double[] Late(LayerStat stat) => Trace.MedianOver(stat, LateStart, Trace.StepCount);

    /// <summary>Severity for a value against warning and error thresholds, or null when below both.</summary>
    public static Severity? Grade(double value, double warning, double error) =>
        value >= error ? Severity.Error : value >= warning ? Severity.Warning : null;
}
