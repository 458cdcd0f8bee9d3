using System.Numerics;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Serialization;
using Gradscope.Training;

namespace Gradscope.Lab.Fixes;

/// <summary>
/// One row of a before/after table: a run description (the original or one remedy applied to it),
/// the early first-to-last layer gradient ratio, the orders of magnitude lost, the loss and
/// accuracy after the budget, the findings left, and (for a run that continued earlier weights)
/// which tensors it kept.
/// </summary>
public sealed record FixOutcome(
    string Label,
    Remedy? Remedy,
    RunSpec Spec,
    double FirstToLastRatio,
    double OrdersLost,
    double Loss,
    double Accuracy,
    IReadOnlyList<Finding> FindingsLeft,
    WeightTransfer? Weights = null)
{
    /// <summary>The monitored run measured (trace, training result, report), for recording it; null when built by hand.</summary>
    public MonitoredRunResult? Run { get; init; }
}

/// <summary>
/// Proves remedies: re-runs the same run (same data, same seed, same budget) with each
/// recommended remedy and measures the difference. Given the weights the diagnosed network started
/// from, each trial starts from them too wherever the remedy keeps a tensor, so a fix is compared
/// with continuing the same network, not with a fresh one.
/// </summary>
public static class FixTrials
{
    /// <summary>The outcome of a finished monitored run, as the "before" row.</summary>
    public static FixOutcome Outcome(string label, Remedy? remedy, MonitoredRunResult run, WeightTransfer? weights = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var context = MonitoredRun.Context(run.Trace, run.Spec);
        var early = context.Early(LayerStat.DeltaRms);
        var profile = GradientProfile.Fit(early);
        double ratio = early.Length > 1 && early[^1] > 0 ? early[0] / early[^1] : double.NaN;
        var final = run.Training.Final;
        double loss = final?.TrainLoss ?? double.NaN;
        double accuracy = final?.TrainAccuracy ?? double.NaN;
        if (run.Training.Status == TrainingStatus.Diverged)
            (loss, accuracy) = (double.NaN, double.NaN);
        return new FixOutcome(label, remedy, run.Spec, ratio, profile.OrdersLastToFirst, loss, accuracy, run.Report.Findings, weights) { Run = run };
    }

    /// <summary>
    /// Runs each distinct remedy of <paramref name="baseline"/>'s findings (at most
    /// <paramref name="maxRemedies"/>, best-ranked first) with the baseline's description, data
    /// and budget. Remedies that would not change the run are skipped. Once
    /// <paramref name="cancellation"/> is signalled no further remedy starts, and a trial it stopped
    /// midway is left out (its numbers would not compare with the baseline's). With
    /// <paramref name="weights"/> (the baseline's network before it trained) every trial loads the
    /// tensors its rewrite keeps under the same name and shape; the dense layers the remedy gives an
    /// initializer of their own, and the layers it adds, start from their initialization.
    /// </summary>
    public static IReadOnlyList<FixOutcome> Run(
        MonitoredRunResult baseline, Dataset? data, int maxRemedies = 4, Action<Remedy>? starting = null, StartingWeights? weights = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        var outcomes = new List<FixOutcome>();
        var seen = new HashSet<string>();

        // Pinned module paths make every rewrite keep the old layers' tensor names.
        var before = weights is null ? baseline.Spec : RunLayerPaths.Pin(baseline.Spec);
        foreach (var remedy in Candidates(baseline.Report))
        {
            if (outcomes.Count >= maxRemedies || !seen.Add(remedy.Id))
                continue;
            if (!RemedyRewriter.Changes(before, remedy))
                continue;
            var spec = RemedyRewriter.Apply(before, remedy);
            if (cancellation.IsCancellationRequested)
                break;
            starting?.Invoke(remedy);
            var reinitialize = weights is null ? new HashSet<string>() : LayerPaths.Reinitialized(before.Network.Layers, spec.Network.Layers);
            var (run, transfer) = spec.DType == NumberType.Float64
                ? Trial<double>(spec, data, weights, reinitialize, cancellation)
                : Trial<float>(spec, data, weights, reinitialize, cancellation);
            if (run.Training.Status == TrainingStatus.Interrupted)
                break;
            outcomes.Add(Outcome(remedy.Title, remedy, run, transfer));
        }

        return outcomes;
    }

    private static (MonitoredRunResult, WeightTransfer?) Trial<T>(
        RunSpec spec, Dataset? data, StartingWeights? weights, IReadOnlySet<string> reinitialize, CancellationToken cancellation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var run = PreparedRun<T>.Create(spec, data);
        var transfer = weights?.LoadInto(run.Network, reinitialize);

        // Kept weights are the file's, not the description's initializer's.
        string? initializer = weights is not null && reinitialize.Count == 0 ? "the model file's" : null;
        return (MonitoredRun.Run(run, MonitorOptions.For(MonitorPreset.Cheap), cancellation, null, initializer), transfer);
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
