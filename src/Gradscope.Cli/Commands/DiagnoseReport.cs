using Gradscope.Cli.Output;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Lab.Fixes;
using Gradscope.Lab.Runs;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>What <c>diagnose</c> prints: findings, the last step's layer statistics, and the before/after table of fixes.</summary>
internal static class DiagnoseReport
{
    public static void Text(Terminal terminal, string network, Dataset data, MonitoredRunResult run, IReadOnlyList<FixOutcome> fixes, bool interrupted)
    {
        terminal.Line($"[bold]Gradscope diagnose[/]  network {Markup.Escape(network)}, {data.Count} rows of {Markup.Escape(data.Name)}, {run.Trace.StepCount} steps watched");
        if (run.Training.Message is not null)
            terminal.Line($"[red]{Markup.Escape(run.Training.Message)}[/]");
        if (interrupted)
            terminal.Text($"interrupted: the findings below cover the {run.Trace.StepCount} steps measured" + (fixes.Count > 0 ? " and the remedies tried before the interrupt." : "."));
        var context = MonitoredRun.Context(run.Trace, run.Spec);
        GradientChart.For([context.Early(LayerStat.DeltaRms)]).Write(terminal, context.Early(LayerStat.DeltaRms), run.Trace.LayerNames);
        FindingsView.Write(terminal, run.Report);
        if (fixes.Count > 0)
            FixTableView.Write(terminal, fixes);
        if (interrupted)
            terminal.Line(run.Report.Healthy ? "[yellow]no error found in the steps measured (interrupted)[/]" : "[red]not healthy: a finding of severity error is present (interrupted)[/]");
        else
            terminal.Line(run.Report.Healthy ? "[green]healthy[/]" : "[red]not healthy: a finding of severity error is present (exit code 1)[/]");
    }

    public static void Json(TextWriter output, MonitoredRunResult run, string weights, IReadOnlyList<FixOutcome> fixes, bool includeFixes, bool interrupted)
    {
        JsonOutput.WriteObject(output, w =>
        {
            DiagnosisJson.WriteSpec(w, run.Spec, weights);
            w.WriteString("status", interrupted ? "interrupted" : run.Training.Status.ToString().ToLowerInvariant());
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
