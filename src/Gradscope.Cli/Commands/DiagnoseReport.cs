using Gradscope.Cli.Output;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>What <c>diagnose</c> prints: findings, the last step's layer statistics, and the before/after table of fixes.</summary>
internal static class DiagnoseReport
{
    public static void Text(Terminal terminal, string network, Dataset data, MonitoredRunResult run, IReadOnlyList<FixOutcome> fixes)
    {
        terminal.Line($"[bold]Gradscope diagnose[/]  network {Markup.Escape(network)}, {data.Count} rows of {Markup.Escape(data.Name)}, {run.Trace.StepCount} steps watched");
        if (run.Training.Message is not null)
            terminal.Line($"[red]{Markup.Escape(run.Training.Message)}[/]");
        var context = DiagnosisContext.For(run.Trace, run.Config);
        GradientChart.For([context.Early(LayerStat.DeltaRms)]).Write(terminal, context.Early(LayerStat.DeltaRms), run.Trace.LayerNames);
        FindingsView.Write(terminal, run.Report);
        if (fixes.Count > 0)
            FixTable(terminal, fixes);
        terminal.Line(run.Report.Healthy ? "[green]healthy[/]" : "[red]not healthy: a finding of severity error is present (exit code 1)[/]");
    }

    public static void FixTable(Terminal terminal, IReadOnlyList<FixOutcome> fixes)
    {
        terminal.Text("Remedies tried (same data, seed and budget):");
        var table = Terminal.NewTable(terminal.Plain, "configuration", "layer 1 / last gradient", "orders lost", "loss", "accuracy", "findings left");
        foreach (var o in fixes)
        {
            var kinds = new List<string>();
            foreach (var f in o.FindingsLeft)
                kinds.Add(f.Kind.ToString());
            table.AddRow(Markup.Escape(o.Label), Format.Sci(o.FirstToLastRatio), Format.Fixed(o.OrdersLost, 1), Format.Fixed(o.Loss), Format.Percent(o.Accuracy),
                kinds.Count == 0 ? "none" : Markup.Escape(string.Join(", ", kinds)));
        }

        terminal.Write(table);
    }

    public static void Json(TextWriter output, MonitoredRunResult run, IReadOnlyList<FixOutcome> fixes, bool includeFixes)
    {
        JsonOutput.WriteObject(output, w =>
        {
            DiagnosisJson.WriteFindings(w, run.Report);
            LayerReport.WriteLayers(w, TraceStatistics.AtStep(run.Trace));
            w.WriteNumber("steps", run.Trace.StepCount);
            if (includeFixes)
            {
                w.WriteStartArray("fixes");
                foreach (var o in fixes)
                    DiagnosisJson.WriteOutcome(w, o);
                w.WriteEndArray();
            }

        });
    }
}
