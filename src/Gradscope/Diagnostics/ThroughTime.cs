namespace Gradscope.Diagnostics;

/// <summary>
/// The gradient through time of a monitored recurrent run's trace, measured as the diagnosis measures it
/// (<c>VanishingThroughTime</c>): for experiments that print the memory horizon and decay beside
/// their own numbers.
/// </summary>
public static class ThroughTime
{
    /// <summary>
    /// The first recurrent layer's gradient through time over the diagnosis's late window (its
    /// thresholds' horizon fraction); null when the run traced no recurrent layer or too few steps.
    /// </summary>
    public static ThroughTimeMeasure? Measure(Trace trace, DiagnosisThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (trace.ThroughTime.Count == 0)
            return null;
        var t = thresholds ?? DiagnosisThresholds.Default;
        return VanishingThroughTimeRule.Measure(trace.ThroughTime[0], DiagnosisContext.LateStartOf(trace.StepCount, t), t.TimeHorizonFraction);
    }
}
