using System.Globalization;
using System.Text.Json;
using Gradscope.Cli.Output;
using Gradscope.Lab.Store;
using Gradscope.Lab.Sweeps;
using Spectre.Console;

namespace Gradscope.Cli.Commands.Sweeps;

/// <summary>A sweep's summary as a table (<c>sweep show</c>, the end of <c>sweep run</c>) or as JSON.</summary>
internal static class SweepView
{
    private const string SpreadNote = "mean ± sample standard deviation over the seeds of each cell (finite values only)";

    public static void Table(Terminal terminal, SweepSummary summary)
    {
        terminal.Text($"sweep {summary.Name}: {Counts(summary)}");
        var table = Terminal.NewTable(terminal.Plain, "cell", "done", "orders lost", "grad ratio first/last", "final loss", "train acc", "test acc", "findings (trials)");
        foreach (var cell in summary.Cells)
        {
            string done = $"{cell.Done}/{cell.Trials}" + (cell.Failed > 0 ? $" ({cell.Failed} failed)" : string.Empty) + (cell.Diverged > 0 ? $" ({cell.Diverged} diverged)" : string.Empty);
            table.AddRow(Markup.Escape(cell.Cell.Length == 0 ? "(all)" : cell.Cell), done, Fixed(cell.OrdersLost, 2), Sci(cell.FirstToLastRatio), Fixed(cell.FinalLoss, 4),
                Percent(cell.TrainAccuracy), Percent(cell.TestAccuracy), Markup.Escape(Findings(cell.Findings)));
        }

        terminal.Write(table);
        terminal.Text(SpreadNote);
    }

    public static void Json(Utf8JsonWriter w, SweepSummary summary) => SweepJson.WriteSummary(w, summary);

    public static string Counts(SweepSummary summary)
    {
        var parts = new List<string>();
        foreach (var state in Enum.GetValues<TrialState>())
        {
            if (summary.Count(state) > 0 || state is TrialState.Done or TrialState.Failed)
                parts.Add($"{summary.Count(state)} {RunStore.StateName(state)}");
        }

        return $"{summary.Total} trials: {string.Join(", ", parts)}";
    }

    private static string Fixed(Spread s, int digits) => s.Count == 0 ? "-" : $"{Format.Fixed(s.Mean, digits)} ± {Format.Fixed(s.Std, digits)}";

    private static string Sci(Spread s) => s.Count == 0 ? "-" : $"{Format.Sci(s.Mean)} ± {Format.Sci(s.Std)}";

    private static string Percent(Spread s) => s.Count == 0 ? "-" : $"{Format.Percent(s.Mean)} ± {(100 * s.Std).ToString("F1", CultureInfo.InvariantCulture)}";

    private static string Findings(IReadOnlyList<FindingCount> findings)
    {
        if (findings.Count == 0)
            return "-";
        var parts = new List<string>(findings.Count);
        foreach (var finding in findings)
            parts.Add($"{finding.Kind} {finding.Trials}");
        return string.Join(", ", parts);
    }
}
