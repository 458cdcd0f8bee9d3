using System.CommandLine;
using Gradscope.Cli.Output;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Spectre.Console;

namespace Gradscope.Cli.Commands.Runs;

/// <summary><c>gradscope runs show ID</c>: one run's configuration, summary, findings and per-layer table.</summary>
internal static class RunsShowCommand
{
    public static Command Create(CliContext context)
    {
        var store = StoreOptions.StorePath();
        var id = new Argument<string>("ID") { Description = "The run's id or a unique prefix of it." };
        var json = CommonOptions.Json();
        var command = new Command("show", "Show one recorded run.\n\nExamples:\n  gradscope runs show 01JD3\n  gradscope runs show 01JD3 --json") { id, store, json };
        command.SetAction(parsed =>
        {
            using var opened = RunIds.Open(parsed.GetValue(store));
            var run = opened.Load(RunIds.Resolve(opened, parsed.GetValue(id)!));
            var summary = new RunSummary(run, run.Trace.StepCount);
            if (parsed.GetValue(json))
                JsonOutput.WriteObject(context.Out, w => Json(w, summary));
            else
                Text(context.CreateTerminal(), summary);
            return CliApp.Success;
        });
        return command;
    }

    private static void Json(System.Text.Json.Utf8JsonWriter w, RunSummary summary)
    {
        RunsJson.WriteSummary(w, summary);
        var run = summary.Record;
        w.WriteStartArray("layers");
        var (start, end) = RunsText.StartAndEnd(run.Trace, LayerStat.GradNorm);
        for (int l = 0; l < run.Layers.Count; l++)
        {
            var layer = run.Layers[l];
            w.WriteStartObject();
            w.WriteNumber("layer", layer.Layer.Number);
            w.WriteString("name", layer.Layer.Name);
            w.WriteString("kind", layer.Kind);
            w.WriteString("activation", layer.Activation);
            JsonNumbers.Write(w, "grad_norm_start", start[l]);
            JsonNumbers.Write(w, "grad_norm_end", end[l]);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("findings");
        foreach (var finding in run.Findings)
            DiagnosisJson.WriteFinding(w, finding);
        w.WriteEndArray();
    }

    private static void Text(Terminal terminal, RunSummary summary)
    {
        var run = summary.Record;
        terminal.Line($"[bold]run {run.Id}[/]{(run.Name is null ? string.Empty : "  " + Markup.Escape(run.Name))}  {RunsText.Status(run.Status, terminal.Plain)}");
        terminal.Text($"kind {run.Kind}{(run.ParentId is null ? string.Empty : ", child of " + run.ParentId)}; tags: {(run.Tags.Count == 0 ? "none" : string.Join(", ", run.Tags))}");
        terminal.Text($"started {RunStore.Timestamp(run.Started)}, ended {(run.Ended is { } e ? RunStore.Timestamp(e) : "-")}; {summary.Steps} steps; on {run.Host ?? "?"} with Gradscope {run.Version ?? "?"}");
        if (run.Data is { } data)
            terminal.Text($"data {data.Name}{(data.Path is null ? string.Empty : $" ({data.Path}, {data.Size} bytes, sha256 {data.Sha256})")}");
        if (run.Error is not null)
            terminal.Text($"error: {run.Error}");
        terminal.Text($"final: loss {Format.Fixed(run.Final.Loss)}, train accuracy {Format.Percent(run.Final.TrainAccuracy)}, test accuracy {Format.Percent(run.Final.TestAccuracy)}");

        var config = Terminal.NewTable(terminal.Plain, "setting", "value");
        foreach (var (key, value) in RunsText.Flatten(run.Spec))
            config.AddRow(Markup.Escape(key), Markup.Escape(value));
        terminal.Write(config);

        LayerTable(terminal, run);
        Findings(terminal, run.Findings);
    }

    private static void LayerTable(Terminal terminal, RunRecord run)
    {
        var table = Terminal.NewTable(terminal.Plain, "layer", "kind", "grad_norm start", "grad_norm end", "delta_rms start", "delta_rms end", "act_std end", "flat end", "dead end");
        var grad = RunsText.StartAndEnd(run.Trace, LayerStat.GradNorm);
        var delta = RunsText.StartAndEnd(run.Trace, LayerStat.DeltaRms);
        var std = RunsText.StartAndEnd(run.Trace, LayerStat.ActStd);
        var flat = RunsText.StartAndEnd(run.Trace, LayerStat.Saturated);
        var dead = RunsText.StartAndEnd(run.Trace, LayerStat.Dead);
        for (int l = 0; l < run.Layers.Count; l++)
        {
            var layer = run.Layers[l];
            table.AddRow(Markup.Escape(layer.Layer.ToString()), $"{layer.Kind} {layer.Activation}", Format.Sci(grad.Start[l]), Format.Sci(grad.End[l]),
                Format.Sci(delta.Start[l]), Format.Sci(delta.End[l]), Format.Fixed(std.End[l]), Format.Percent(flat.End[l]), Format.Percent(dead.End[l]));
        }

        terminal.Write(table);
    }

    public static void Findings(Terminal terminal, IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
        {
            terminal.Text("No findings.");
            return;
        }

        foreach (var finding in findings)
        {
            terminal.Line($"[bold]{finding.Kind}[/] ({finding.Severity.ToString().ToLowerInvariant()}) in {Markup.Escape(FindingsView.LayerList(finding.LayerRefs))}");
            terminal.Line($"  cause: {Markup.Escape(finding.Cause)}");
            for (int i = 0; i < finding.Remedies.Count; i++)
                terminal.Line($"  fix {i + 1}: {Markup.Escape(finding.Remedies[i].Title)} ({Markup.Escape(finding.Remedies[i].Id)})");
        }
    }
}
