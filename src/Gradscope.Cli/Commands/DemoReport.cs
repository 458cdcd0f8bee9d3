using System.Globalization;
using Gradscope.Cli.Output;
using Gradscope.Diagnostics;
using Gradscope.Lab.Fixes;
using Gradscope.Lab.Runs;
using Gradscope.Training;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>What the demo prints for each network, and its closing verdict.</summary>
internal static class DemoReport
{
    public static void Section(Terminal terminal, string label, MonitoredRunResult result, GradientChart chart)
    {
        var context = MonitoredRun.Context(result.Trace, result.Spec);
        var delta = context.Early(LayerStat.DeltaRms);
        var grad = context.Early(LayerStat.GradNorm);
        var update = result.Trace.MedianOver(LayerStat.UpdateRatio, 0, result.Trace.StepCount);
        var saturated = context.Late(LayerStat.Saturated);
        var dead = context.Late(LayerStat.Dead);

        terminal.Text(string.Empty);
        terminal.Write(new Rule($"[bold]{Markup.Escape(label)}[/]").LeftJustified());
        if (context.Preflight is { } preflight)
            terminal.Text(preflight.Text);
        var table = Terminal.NewTable(terminal.Plain, "layer", "delta_rms (start)", "grad_norm (start)", "update_ratio", "saturated (end)", "dead (end)");
        for (int l = 0; l < delta.Length; l++)
            table.AddRow(Markup.Escape(LayerReport.Label(l, result.Trace.LayerNames[l])), Format.Sci(delta[l]), Format.Sci(grad[l]), Format.Sci(update[l]), Format.Percent(saturated[l]), Format.Percent(dead[l]));
        terminal.Write(table);
        terminal.Text("gradient RMS by layer at the start of training (log scale; the gradient travels from the top down):");
        chart.Write(terminal, delta, result.Trace.LayerNames);
        FindingsView.Write(terminal, result.Report);
        terminal.Line($"final accuracy: train {Format.Percent(Final(result).TrainAccuracy)}, test {Format.Percent(Final(result).TestAccuracy)}");
    }

    public static void Verdict(Terminal terminal, IReadOnlyList<(string Label, RunSpec Spec)> variants, IReadOnlyList<MonitoredRunResult> results)
    {
        terminal.Text(string.Empty);
        terminal.Write(new Rule("[bold]Verdict[/]").LeftJustified());
        var lines = new List<string>();
        for (int i = 0; i < results.Count; i++)
        {
            var profile = GradientProfile.Fit(MonitoredRun.Context(results[i].Trace, results[i].Spec).Early(LayerStat.DeltaRms));
            double ratio = Math.Pow(10, -profile.OrdersLastToFirst);
            lines.Add($"{variants[i].Label}: the gradient reaching layer 1 was {ratio.ToString("0.0e+0", CultureInfo.InvariantCulture)} of the last layer's " +
                $"({profile.OrdersLastToFirst.ToString("0.0", CultureInfo.InvariantCulture)} orders of magnitude lost, x{profile.PerLayerFactor.ToString("0.00", CultureInfo.InvariantCulture)} per layer); " +
                $"test accuracy {Format.Percent(Final(results[i]).TestAccuracy)} ({Health(results[i].Report)}).");
        }

        foreach (string line in lines)
            terminal.Text("- " + line);
        terminal.Text(Conclusion(results));
    }

    private static string Conclusion(IReadOnlyList<MonitoredRunResult> results)
    {
        int best = 0;
        for (int i = 1; i < results.Count; i++)
        {
            if (Final(results[i]).TestAccuracy > Final(results[best]).TestAccuracy)
                best = i;
        }

        string winner = DemoCommand.ActivationOf(results[best].Spec);
        return $"In plain words: squashing activations multiply derivatives below 1 layer after layer (sigmoid's never exceeds 0.25), so the early layers of a deep network receive almost no gradient and barely learn. " +
            $"An activation that does not squash, with an initialization matched to it, keeps the gradient's scale through depth; here {winner} learned best. " +
            "Try 'gradscope diagnose ... --try-fixes' on your own model to measure the fix.";
    }

    private static string Health(DiagnosisReport report)
    {
        if (report.Findings.Count == 0)
            return "no findings";
        var kinds = new List<string>();
        foreach (var f in report.Findings)
            kinds.Add($"{f.Kind} {f.Severity.ToString().ToLowerInvariant()}");
        return string.Join(", ", kinds);
    }

    private static EpochResult Final(MonitoredRunResult result) =>
        result.Training.Final ?? new EpochResult(0, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary><c>demo --json</c>: each run's description, status, loss, accuracy, gradient profile and findings.</summary>
    public static void Json(TextWriter output, IReadOnlyList<(string Label, RunSpec Spec)> variants, IReadOnlyList<MonitoredRunResult> results)
    {
        JsonOutput.WriteObject(output, w =>
        {
            w.WriteStartArray("runs");
            for (int i = 0; i < results.Count; i++)
            {
                var outcome = FixTrials.Outcome(variants[i].Label, null, results[i]);
                w.WriteStartObject();
                w.WriteString("label", variants[i].Label);
                DiagnosisJson.WriteSpec(w, results[i].Spec);
                w.WriteString("status", results[i].Training.Status.ToString().ToLowerInvariant());
                JsonNumbers.Write(w, "loss", outcome.Loss);
                JsonNumbers.Write(w, "accuracy", outcome.Accuracy);
                JsonNumbers.Write(w, "first_to_last_ratio", outcome.FirstToLastRatio);
                JsonNumbers.Write(w, "orders_lost", outcome.OrdersLost);
                DiagnosisJson.WriteFindings(w, results[i].Report);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }
}
