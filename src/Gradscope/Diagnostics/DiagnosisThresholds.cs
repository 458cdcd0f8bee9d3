namespace Gradscope.Diagnostics;

/// <summary>
/// Every threshold the diagnosis rules use, in one place. Defaults are chosen so that a healthy
/// network (ReLU + He or tanh + Glorot at moderate depth) produces no finding, and the classic
/// failures (deep sigmoid, large gains, biased-off ReLUs) produce errors.
/// </summary>
public sealed record DiagnosisThresholds
{
    /// <summary>Orders of magnitude of delta_rms lost from the last dense layer to the first for a warning.</summary>
    public double VanishingWarningOrders { get; init; } = 2.0;

    /// <summary>... and for an error.</summary>
    public double VanishingErrorOrders { get; init; } = 4.0;

    /// <summary>Orders of magnitude of delta_rms gained toward the first layer (or of the gradient norm over training) for a warning.</summary>
    public double ExplodingWarningOrders { get; init; } = 2.0;

    /// <summary>... and for an error.</summary>
    public double ExplodingErrorOrders { get; init; } = 4.0;

    /// <summary>Fraction of (sample, unit) pairs saturated in a layer for a warning.</summary>
    public double SaturationWarningFraction { get; init; } = 0.5;

    /// <summary>... and for an error.</summary>
    public double SaturationErrorFraction { get; init; } = 0.8;

    /// <summary>Fraction of a ReLU layer's units dead for the whole batch for a warning.</summary>
    public double DeadWarningFraction { get; init; } = 0.4;

    /// <summary>... and for an error.</summary>
    public double DeadErrorFraction { get; init; } = 0.7;

    /// <summary>Orders of magnitude an early layer's update ratio lies below the last layer's for a warning.</summary>
    public double StalledWarningOrders { get; init; } = 2.0;

    /// <summary>... and for an error.</summary>
    public double StalledErrorOrders { get; init; } = 4.0;

    /// <summary>Fraction of the steps at the start that form the "early" window (vanishing and exploding are judged there, as at initialization).</summary>
    public double EarlyWindowFraction { get; init; } = 0.1;

    /// <summary>Through time: the memory horizon is where ||dL/dh_t|| falls below this fraction of its last-step value.</summary>
    public double TimeHorizonFraction { get; init; } = 1e-3;

    /// <summary>Fraction of the steps at the end that form the "late" window (saturation, dead units and stalling are judged there).</summary>
    public double LateWindowFraction { get; init; } = 0.2;

    /// <summary>The defaults.</summary>
    public static DiagnosisThresholds Default { get; } = new();
}
