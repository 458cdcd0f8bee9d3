using System.Text.Json;
using Gradscope.Lab.Store;

namespace Gradscope.Lab.Sweeps;

public static partial class SweepJson
{
    private const string SpreadNote = "std: sample standard deviation (n - 1) over the seeds of each cell; n: finite values";

    /// <summary>
    /// Writes the store's sweeps as the property <c>sweeps</c>: name, created, updated, trials and
    /// the count in each trial state. One writer for <c>sweep list --json</c> and <c>GET /api/sweeps</c>.
    /// </summary>
    public static void WriteList(Utf8JsonWriter w, IReadOnlyList<StoredSweep> sweeps)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(sweeps);
        w.WriteStartArray("sweeps");
        foreach (var sweep in sweeps)
        {
            w.WriteStartObject();
            w.WriteString("name", sweep.Name);
            w.WriteString("created", RunStore.Timestamp(sweep.Created));
            w.WriteString("updated", RunStore.Timestamp(sweep.Updated));
            w.WriteNumber("trials", sweep.Total);
            foreach (var state in Enum.GetValues<TrialState>())
                w.WriteNumber(RunStore.StateName(state), sweep.Count(state));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>
    /// Writes a sweep's summary as properties of the current object: name, trial counts, and one
    /// entry per cell with its measures and finding kinds; with <paramref name="trials"/>, each
    /// cell also lists its stored runs' ids (<c>run_ids</c>, for the dashboard's links). One writer
    /// for <c>sweep show --json</c> and <c>GET /api/sweeps/{name}</c>.
    /// </summary>
    public static void WriteSummary(Utf8JsonWriter w, SweepSummary summary, IReadOnlyList<StoredTrial>? trials = null)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(summary);
        w.WriteString("name", summary.Name);
        w.WriteStartObject("trials");
        w.WriteNumber("total", summary.Total);
        foreach (var state in Enum.GetValues<TrialState>())
            w.WriteNumber(RunStore.StateName(state), summary.Count(state));
        w.WriteEndObject();
        w.WriteString("spread", SpreadNote);
        w.WriteStartArray("cells");
        foreach (var cell in summary.Cells)
            WriteCell(w, cell, trials);
        w.WriteEndArray();
    }

    private static void WriteCell(Utf8JsonWriter w, SweepCellSummary cell, IReadOnlyList<StoredTrial>? trials)
    {
        w.WriteStartObject();
        w.WriteString("cell", cell.Cell);
        w.WriteNumber("trials", cell.Trials);
        w.WriteNumber("done", cell.Done);
        w.WriteNumber("failed", cell.Failed);
        w.WriteNumber("diverged", cell.Diverged);
        WriteMeasures(w, cell);
        w.WriteStartArray("findings");
        foreach (var finding in cell.Findings)
        {
            w.WriteStartObject();
            w.WriteString("kind", finding.Kind);
            w.WriteNumber("trials", finding.Trials);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (trials is not null)
        {
            w.WriteStartArray("run_ids");
            foreach (var trial in trials)
            {
                if (trial.Cell == cell.Cell && trial.RunId is not null)
                    w.WriteStringValue(trial.RunId);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }
}
