using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;

namespace Gradscope.Lab.Sweeps;

/// <summary>Summarizes a sweep from the store: its trials' states and, per cell, the stored runs of its done trials.</summary>
public static class SweepSummaries
{
    /// <summary>The summary of sweep <paramref name="name"/> as <paramref name="store"/> holds it.</summary>
    /// <exception cref="StoreException">The store has no sweep by that name.</exception>
    public static SweepSummary Of(RunStore store, string name)
    {
        ArgumentNullException.ThrowIfNull(store);
        var sweep = store.FindSweep(name) ?? throw new StoreException($"run store '{store.Path}' has no sweep '{name}'.");
        var cells = new List<string>();
        var groups = new Dictionary<string, List<StoredTrial>>(StringComparer.Ordinal);
        foreach (var trial in store.Trials(name))
        {
            if (!groups.TryGetValue(trial.Cell, out var group))
            {
                cells.Add(trial.Cell);
                groups[trial.Cell] = group = [];
            }

            group.Add(trial);
        }

        var rows = new List<SweepCellSummary>(cells.Count);
        foreach (string cell in cells)
            rows.Add(Cell(store, cell, groups[cell]));
        return new SweepSummary(name, sweep.Counts, rows);
    }

    private static SweepCellSummary Cell(RunStore store, string cell, List<StoredTrial> trials)
    {
        var orders = new List<double>();
        var ratios = new List<double>();
        var losses = new List<double>();
        var train = new List<double>();
        var test = new List<double>();
        var findings = new List<FindingCount>();
        int done = 0, failed = 0, diverged = 0;
        foreach (var trial in trials)
        {
            if (trial.State == TrialState.Failed)
                failed++;
            if (trial.State != TrialState.Done || trial.RunId is null)
                continue;
            done++;
            var run = store.Load(trial.RunId);
            if (run.Status == RunStatus.Diverged)
                diverged++;
            var measures = TrialMeasures.Of(run);
            orders.Add(measures.OrdersLost);
            ratios.Add(measures.FirstToLastRatio);
            losses.Add(run.Final.Loss);
            train.Add(run.Final.TrainAccuracy);
            test.Add(run.Final.TestAccuracy);
            CountKinds(run, findings);
        }

        findings.Sort((a, b) => a.Trials != b.Trials ? b.Trials.CompareTo(a.Trials) : string.CompareOrdinal(a.Kind, b.Kind));
        return new SweepCellSummary(cell, trials.Count, done, failed, diverged, Spread.Of(orders), Spread.Of(ratios), Spread.Of(losses),
            Spread.Of(train), Spread.Of(test), findings);
    }

    // Each kind once per run: "3 of 3 seeds vanish", not "6 vanishing findings".
    private static void CountKinds(RunRecord run, List<FindingCount> counts)
    {
        var kinds = new List<string>();
        foreach (var finding in run.Findings)
        {
            string kind = finding.Kind.ToString();
            if (!kinds.Contains(kind))
                kinds.Add(kind);
        }

        foreach (string kind in kinds)
        {
            int at = counts.FindIndex(c => c.Kind == kind);
            if (at < 0)
                counts.Add(new FindingCount(kind, 1));
            else
                counts[at] = counts[at] with { Trials = counts[at].Trials + 1 };
        }
    }
}
