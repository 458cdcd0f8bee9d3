using Gradscope.Data;
using Gradscope.Training;

namespace Gradscope.Diagnostics;

/// <summary>
/// One row of a before/after table: a configuration (the original or one remedy applied to it),
/// the early first-to-last layer gradient ratio, the orders of magnitude lost, the loss and
/// accuracy after the budget, and the findings left.
/// </summary>
public sealed record FixOutcome(
    string Label,
    Remedy? Remedy,
    RunConfig Config,
    double FirstToLastRatio,
    double OrdersLost,
    double Loss,
    double Accuracy,
    IReadOnlyList<Finding> FindingsLeft)
{
    /// <summary>The monitored run measured (trace, training result, report), for recording it; null when built by hand.</summary>
    public MonitoredRunResult? Run { get; init; }
}

/// <summary>
/// Proves remedies: re-runs the same configuration (same data, same seed, same budget) with each
/// recommended remedy and measures the difference.
/// </summary>
public static class FixTrials
{
    /// <summary>The outcome of a finished monitored run, as the "before" row.</summary>
    public static FixOutcome Outcome(string label, Remedy? remedy, MonitoredRunResult run)
    {
        var context = DiagnosisContext.For(run.Trace, run.Config);
        var early = context.Early(LayerStat.DeltaRms);
        var profile = GradientProfile.Fit(early);
        double ratio = early.Length > 1 && early[^1] > 0 ? early[0] / early[^1] : double.NaN;
        var final = run.Training.Final;
        double loss = final?.TrainLoss ?? double.NaN;
        double accuracy = final?.TrainAccuracy ?? double.NaN;
        if (run.Training.Status == TrainingStatus.Diverged)
            (loss, accuracy) = (double.NaN, double.NaN);
        return new FixOutcome(label, remedy, run.Config, ratio, profile.OrdersLastToFirst, loss, accuracy, run.Report.Findings) { Run = run };
    }

    /// <summary>
    /// Runs each distinct remedy of <paramref name="baseline"/>'s findings (at most
    /// <paramref name="maxRemedies"/>, best-ranked first) with the baseline's configuration, data
    /// and budget. Remedies that would not change the configuration are skipped. Once
    /// <paramref name="cancellation"/> is signalled no further remedy starts, and a trial it stopped
    /// midway is left out (its numbers would not compare with the baseline's).
    /// </summary>
    public static IReadOnlyList<FixOutcome> Run(MonitoredRunResult baseline, Dataset? data, int maxRemedies = 4, Action<Remedy>? starting = null, CancellationToken cancellation = default)
    {
        var outcomes = new List<FixOutcome>();
        var seen = new HashSet<string>();
        foreach (var remedy in Candidates(baseline.Report))
        {
            if (outcomes.Count >= maxRemedies || !seen.Add(remedy.Id))
                continue;
            if (!remedy.Changes(baseline.Config))
                continue;
            var config = remedy.Apply(baseline.Config);
            if (cancellation.IsCancellationRequested)
                break;
            starting?.Invoke(remedy);
            var run = MonitoredRun.Run(config, MonitorOptions.For(MonitorPreset.Cheap), data, null, cancellation);
            if (run.Training.Status == TrainingStatus.Interrupted)
                break;
            outcomes.Add(Outcome(remedy.Title, remedy, run));
        }

        return outcomes;
    }

    private static IEnumerable<Remedy> Candidates(DiagnosisReport report)
    {
        // Interleave by rank: every finding's best remedy first, then every second-best, ...
        int longest = 0;
        foreach (var finding in report.Findings)
            longest = Math.Max(longest, finding.Remedies.Count);
        for (int rank = 0; rank < longest; rank++)
        {
            foreach (var finding in report.Findings)
            {
                if (rank < finding.Remedies.Count)
                    yield return finding.Remedies[rank];
            }
        }
    }
}
