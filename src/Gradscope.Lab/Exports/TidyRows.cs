using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Exports;

/// <summary>
/// One row of the tidy (long) table: <c>run, step, layer, layer_name, statistic, value</c>.
/// <paramref name="Layer"/> is the layer's number along the main path (from 1) and
/// <paramref name="LayerName"/> its module path; both are null for run-level rows (loss, learning
/// rate, wall time, epoch accuracies).
/// </summary>
public readonly record struct TidyRow(string Run, int Step, int? Layer, string? LayerName, string Statistic, double Value);

/// <summary>
/// The rows of a recorded run, step by step: per step the run-level <c>loss</c>,
/// <c>learning_rate</c> and <c>wall_seconds</c>, then every statistic of every layer (layer order,
/// statistics in <see cref="LayerStat"/> order); per epoch, at its last step, <c>train_loss</c>,
/// <c>train_accuracy</c>, <c>test_loss</c>, <c>test_accuracy</c>.
/// <para>
/// A step a statistic was not measured at has no row. The trace holds NaN there (weight norm and
/// update ratio between their samples under the cheap preset, a learning rate a PyTorch trace did
/// not give, an epoch without a test split), and NaN is also what a diverged step measures; they
/// are told apart by <see cref="IsMeasured"/>. Infinities are always measured values.
/// </para>
/// </summary>
public static class TidyRows
{
    /// <summary>What the <c>run</c> column says: the run's id, else its name, else <c>run</c>.</summary>
    public static string RunLabel(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return !string.IsNullOrEmpty(record.Id) ? record.Id : record.Name ?? "run";
    }

    /// <summary>
    /// True when <paramref name="value"/> of layer <paramref name="layer"/> at recorded index
    /// <paramref name="step"/> is a measurement: any value but NaN; a NaN only where the step saw a
    /// non-finite value (a non-finite loss, or a non-zero <c>non_finite</c> count in that layer).
    /// Elsewhere NaN means "not measured here" (or undefined, an update ratio of all-zero weights).
    /// </summary>
    public static bool IsMeasured(Trace trace, int step, int layer, double value)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (!double.IsNaN(value))
            return true;
        return !double.IsFinite(trace.Loss(step)) || trace[LayerStat.NonFinite, step, layer] > 0;
    }

    /// <summary>The rows of <paramref name="record"/>, in step order.</summary>
    public static IEnumerable<TidyRow> Of(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        string run = RunLabel(record);
        var trace = record.Trace;
        var epochEnds = EpochEnds(trace);
        int nextEpoch = 0;
        for (int s = 0; s < trace.StepCount; s++)
        {
            int step = trace.StepNumber(s);
            yield return new TidyRow(run, step, null, null, "loss", trace.Loss(s));
            if (!double.IsNaN(trace.LearningRate(s)))
                yield return new TidyRow(run, step, null, null, "learning_rate", trace.LearningRate(s));
            if (!double.IsNaN(trace.WallSeconds(s)))
                yield return new TidyRow(run, step, null, null, "wall_seconds", trace.WallSeconds(s));
            for (int l = 0; l < trace.LayerCount; l++)
            {
                for (int i = 0; i < LayerStatNames.Count; i++)
                {
                    double v = trace[(LayerStat)i, s, l];
                    if (IsMeasured(trace, s, l, v))
                        yield return new TidyRow(run, step, l + 1, trace.LayerNames[l], LayerStatNames.Of((LayerStat)i), v);
                }
            }

            for (; nextEpoch < epochEnds.Count && epochEnds[nextEpoch] <= step; nextEpoch++)
            {
                foreach (var row in EpochRows(run, epochEnds[nextEpoch], trace.Epochs[nextEpoch]))
                    yield return row;
            }
        }

        for (; nextEpoch < epochEnds.Count; nextEpoch++)
        {
            foreach (var row in EpochRows(run, epochEnds[nextEpoch], trace.Epochs[nextEpoch]))
                yield return row;
        }
    }

    /// <summary>Per epoch, the training step it ended at (its steps counted from the first epoch).</summary>
    public static IReadOnlyList<int> EpochEnds(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var ends = new List<int>(trace.Epochs.Count);
        int total = 0;
        foreach (var epoch in trace.Epochs)
        {
            total += epoch.Steps;
            ends.Add(total - 1);
        }

        return ends;
    }

    private static IEnumerable<TidyRow> EpochRows(string run, int step, Training.EpochResult e)
    {
        (string Name, double Value)[] values =
            [("train_loss", e.TrainLoss), ("train_accuracy", e.TrainAccuracy), ("test_loss", e.TestLoss), ("test_accuracy", e.TestAccuracy)];
        foreach (var (name, value) in values)
        {
            if (!double.IsNaN(value))
                yield return new TidyRow(run, step, null, null, name, value);
        }
    }
}
