using System.Globalization;
using System.Text.Json;
using Gradscope.Cli.Output;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Traces;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>What <c>diagnose --trace</c> prints: the traced network, the gradient chart, the findings with their PyTorch code, and the fixes tried.</summary>
internal static class DiagnoseTraceReport
{
    // The per-layer numbers --json carries: early-window medians, as the depth rules judge them.
    private static readonly LayerStat[] EarlyStats = [LayerStat.DeltaRms, LayerStat.GradRms, LayerStat.GradNorm, LayerStat.ActStd, LayerStat.Saturated, LayerStat.Dead, LayerStat.UpdateRatio];

    public static void Text(Terminal terminal, string path, DiagnoseTrace.Result result, TraceFixes.Outcome? fixes)
    {
        var run = result.Run;
        terminal.Line($"[bold]Gradscope diagnose[/]  trace {Markup.Escape(path)}: {Markup.Escape(Origin(run))}, {run.Trace.LayerCount} layers, {run.Trace.StepCount} steps recorded ({RunStore(run)})");
        terminal.Text($"initialization: {result.Init.Label}" + (double.IsFinite(result.Init.Gain) ? string.Create(CultureInfo.InvariantCulture, $", median gain std*sqrt(fan_in) = {result.Init.Gain:0.###}") : ""));
        var early = result.Context.Early(LayerStat.DeltaRms);
        GradientChart.For([early]).Write(terminal, early, run.Trace.LayerNames);
        FindingsView.Write(terminal, result.Report, result.Code);
        if (ThroughTimeNotJudged(run) is { } notJudged)
            terminal.Text(notJudged);
        if (fixes is { Outcomes.Count: > 0 })
            FixTableView.Write(terminal, fixes.Outcomes);
        else if (fixes?.Unavailable is { } why)
            terminal.Text($"--try-fixes: {why}");
        terminal.Line(result.Report.Healthy ? "[green]healthy[/]" : "[red]not healthy: a finding of severity error is present (exit code 1)[/]");
    }

    // A trace holds each layer's statistics per step but not the gradient through time that the
    // VanishingThroughTime rule measures (train and diagnose --model do), so a recurrent layer's
    // "no findings" here says nothing about its memory; say so rather than let it read as healthy.
    private static string? ThroughTimeNotJudged(RunRecord run)
    {
        if (run.Trace.ThroughTime.Count > 0)
            return null;
        var recurrent = new List<LayerRef>();
        foreach (var layer in run.Layers)
        {
            if (layer.Kind.ToLowerInvariant() is "rnn" or "lstm" or "gru")
                recurrent.Add(layer.Layer);
        }

        if (recurrent.Count == 0)
            return null;
        string layers = FindingsView.LayerList(recurrent);
        foreach (var finding in run.Findings)
        {
            if (finding.Kind == FindingKind.VanishingThroughTime)
                return $"the trace holds no gradient through time for {layers}: VanishingThroughTime is the finding the recording run wrote into it.";
        }

        return $"not judged: the trace holds no gradient through time for {layers}, so vanishing through time (VanishingThroughTime) is not diagnosed from it; "
              + "`gradscope train` and `gradscope diagnose --model` measure it.";
    }

    public static void Json(TextWriter output, string path, DiagnoseTrace.Result result, TraceFixes.Outcome? fixes)
    {
        var run = result.Run;
        JsonOutput.WriteObject(output, w =>
        {
            w.WriteString("trace", path);
            w.WriteString("kind", run.Kind);
            WriteFramework(w, run.Framework);
            w.WriteString("status", Lab.Store.RunStore.StatusName(run.Status));
            w.WriteNumber("steps", run.Trace.StepCount);
            w.WriteStartObject("initialization");
            w.WriteString("label", result.Init.Label);
            w.WriteString("initializer", result.Init.Initializer?.Name);
            JsonNumbers.Write(w, "gain", result.Init.Gain);
            w.WriteEndObject();
            w.WriteBoolean("healthy", result.Report.Healthy);
            w.WriteStartArray("findings");
            foreach (var f in result.Report.Findings)
            {
                w.WriteStartObject();
                FindingJson.WriteMembers(w, f, result.Code);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteLayers(w, result);
            if (fixes is not null)
                WriteFixes(w, fixes);
        });
    }

    private static void WriteLayers(Utf8JsonWriter w, DiagnoseTrace.Result result)
    {
        var layers = TraceDiagnosis.LayersOf(result.Run);
        var early = new double[EarlyStats.Length][];
        for (int i = 0; i < EarlyStats.Length; i++)
            early[i] = result.Context.Early(EarlyStats[i]);
        w.WriteNumber("early_steps", result.Context.EarlyEnd);
        w.WriteStartArray("layers");
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            w.WriteStartObject();
            w.WriteNumber("layer", layer.Layer.Number);
            w.WriteString("name", layer.Layer.Name);
            w.WriteString("kind", layer.Kind);
            w.WriteString("module_kind", layer.ModuleKind);
            w.WriteString("activation", layer.Activation);
            w.WriteString("activation_module", layer.ActivationModule);
            w.WriteNumber("inputs", layer.Inputs);
            w.WriteNumber("units", layer.Units);
            w.WriteStartObject("early");
            for (int i = 0; i < EarlyStats.Length; i++)
                JsonNumbers.Write(w, LayerStatNames.Of(EarlyStats[i]), early[i][l]);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteFixes(Utf8JsonWriter w, TraceFixes.Outcome fixes)
    {
        w.WriteString("fixes_unavailable", fixes.Unavailable);
        w.WriteStartArray("fixes");
        foreach (var o in fixes.Outcomes)
            DiagnosisJson.WriteOutcome(w, o);
        w.WriteEndArray();
    }

    private static void WriteFramework(Utf8JsonWriter w, FrameworkInfo? framework)
    {
        if (framework is null)
        {
            w.WriteNull("framework");
            return;
        }

        w.WriteStartObject("framework");
        w.WriteString("name", framework.Name);
        w.WriteString("version", framework.Version);
        w.WriteString("optimizer", framework.Optimizer);
        JsonNumbers.Write(w, "learning_rate", framework.LearningRate);
        w.WriteString("loss_function", framework.LossFunction);
        w.WriteEndObject();
    }

    private static string Origin(RunRecord run) => run.Framework is { } f
        ? $"{f.Name}{(f.Version is null ? "" : " " + f.Version)} run" + (f.Optimizer is null ? "" : $", {f.Optimizer}") + (double.IsFinite(f.LearningRate) ? string.Create(CultureInfo.InvariantCulture, $" lr {f.LearningRate:G4}") : "")
        : $"Gradscope {run.Kind} run";

    private static string RunStore(RunRecord run) => run.Status == RunStatus.Running ? "no end line: still running, or its writer stopped" : Lab.Store.RunStore.StatusName(run.Status);
}
