using System.CommandLine;
using System.Diagnostics;
using Gradscope.Cli.Commands.Runs;
using Gradscope.Cli.Output;
using Gradscope.Diagnostics;
using Gradscope.Lab.Outputs;
using Gradscope.Lab.Reports;
using Gradscope.Lab.Reports.Html;
using Gradscope.Lab.Runs;
using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope demo</c>: the same deep network trained three ways (sigmoid + standard init, tanh +
/// Glorot, ReLU + He) on the built-in spiral, side by side, then what happened to the gradient in
/// each, the findings, and a verdict in plain words.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var png = new Option<string?>("--png") { Description = "Also write, per network, a layers x steps heatmap of log10 delta_rms (one colour scale for the three) and per-layer curves (PNG) into this folder." };
        var report = new Option<string?>("--report") { Description = "Also write an interactive HTML report of the three runs to this file (one self-contained page that works offline)." };
        var layers = new Option<string>("--layers") { Description = "Hidden layers of the network all three variants share.", DefaultValueFactory = _ => "10x32" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per variant.", DefaultValueFactory = _ => 30 };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var store = new StoreOptions();
        var command = new Command("demo",
            "Watch the vanishing gradient problem happen and get fixed: one deep network on the built-in spiral, trained with sigmoid + standard init, tanh + Glorot and ReLU + He.\n\n" +
            "Examples:\n" +
            "  gradscope demo\n" +
            "  gradscope demo --png plots --layers 20x32\n" +
            "  gradscope demo --report demo.html\n" +
            "  gradscope demo --epochs 5 --json")
        {
            png, report, layers, epochs, seed, json,
        };
        foreach (var option in store.All)
            command.Options.Add(option);
        command.SetAction(parsed =>
        {
            string layersText = parsed.GetValue(layers)!;
            var hidden = CommonOptions.AsUsage(() => NetworkSpec.ParseLayers(layersText));
            OptionChecks.DenseShapes([2, .. hidden.Select(w => (int?)w), 3], $"--layers '{layersText}'");
            int e = parsed.GetValue(epochs);
            if (e < 1)
                throw new UsageException($"--epochs must be at least 1; got {e}.");
            var baseConfig = new RunFlags { Data = "spiral", Hidden = hidden, Epochs = e, Seed = parsed.GetValue(seed), Optimizer = "sgd", LearningRate = 0.1 };
            return Run(context, baseConfig, new DemoOutputs(OptionChecks.Path(parsed.GetValue(png), "--png"), OptionChecks.Path(parsed.GetValue(report), "--report"), parsed.GetValue(json), store.Read(parsed)));
        });
        return command;
    }

    internal static IReadOnlyList<(string Label, RunSpec Spec)> Variants(RunFlags baseConfig) =>
    [
        ("sigmoid + standard init", (baseConfig with { Activation = "sigmoid", Init = "standard" }).ToSpec()),
        ("tanh + Glorot init", (baseConfig with { Activation = "tanh", Init = "glorot-uniform" }).ToSpec()),
        ("ReLU + He init", (baseConfig with { Activation = "relu", Init = "he-normal" }).ToSpec()),
    ];

    /// <summary>The activation of a demo network (its first): <c>sigmoid</c>, <c>tanh</c> or <c>relu</c>.</summary>
    internal static string ActivationOf(RunSpec spec) => spec.Network.FirstActivation?.Name ?? "identity";

    private sealed record DemoOutputs(string? Png, string? Report, bool Json, StoreRequest Store);

    private static int Run(CliContext context, RunFlags baseConfig, DemoOutputs outputs)
    {
        var variants = Variants(baseConfig);
        // Every output is checked (and the folder created) before the three networks train, against the others too.
        var files = new OutputFiles();
        var plots = outputs.Png is null ? null : PlanPlots(files, outputs.Png, variants);
        var report = outputs.Report is null ? null : files.AddFile("--report", outputs.Report);
        var started = DateTimeOffset.UtcNow;
        // The report shows histograms, so with one the monitor records them every 50 steps.
        var preset = report is null ? MonitorPreset.Cheap : MonitorPreset.Standard;
        if (outputs.Json)
        {
            var measured = DemoRunner.RunAll(null, variants, preset);
            var storedIds = Record(context, null, outputs.Store, variants, measured);
            WriteReport(files, report, baseConfig, variants, measured, started, storedIds, null);
            WritePlots(plots, variants, measured, null);
            DemoReport.Json(context.Out, variants, measured);
            return CliApp.Success;
        }

        var terminal = context.CreateTerminal();
        terminal.Line($"[bold]Gradscope demo[/]: a {baseConfig.Hidden.Count}-hidden-layer network ({baseConfig.DescribeLayers()}) on the 3-class spiral, trained three ways for {baseConfig.Epochs} epochs (SGD, lr 0.1, seed {baseConfig.Seed}).");
        var clock = Stopwatch.StartNew();
        var results = DemoRunner.RunAll(terminal, variants, preset);
        terminal.Text($"trained 3 networks in {clock.Elapsed.TotalSeconds:F1} s");

        var chart = GradientChart.For(EarlyDeltas(results));
        for (int i = 0; i < results.Count; i++)
            DemoReport.Section(terminal, variants[i].Label, results[i], chart);
        DemoReport.Verdict(terminal, variants, results);
        var ids = Record(context, terminal, outputs.Store, variants, results);

        WriteReport(files, report, baseConfig, variants, results, started, ids, terminal);
        WritePlots(plots, variants, results, terminal);
        return CliApp.Success;
    }

    // The page names each run by its store id when the runs were recorded, so 'gradscope runs show' finds what the report shows.
    private static void WriteReport(OutputFiles files, OutputTarget? report, RunFlags baseConfig, IReadOnlyList<(string Label, RunSpec Spec)> variants, IReadOnlyList<MonitoredRunResult> results, DateTimeOffset started, IReadOnlyList<string> storedIds, Terminal? terminal)
    {
        if (report is null)
            return;
        var records = new RunRecord[results.Count];
        for (int i = 0; i < results.Count; i++)
        {
            records[i] = ReportRecords.For(results[i].Spec, results[i].Training, results[i].Trace, results[i].Report.Findings, "demo", variants[i].Label, started);
            if (storedIds.Count == results.Count)
                records[i] = records[i] with { Id = storedIds[i] };
        }

        files.Write(report, stream => RunReport.Write(records, stream, $"Gradscope demo: {baseConfig.DescribeLayers()} on the spiral, three ways"));
        terminal?.Text($"wrote {report}");
    }

    private static void WritePlots(Plots? plots, IReadOnlyList<(string Label, RunSpec Spec)> variants, IReadOnlyList<MonitoredRunResult> results, Terminal? terminal)
    {
        if (plots is null)
            return;
        // One colour scale for the three heatmaps, so the vanishing run looks different from the healthy one.
        var range = ColorRange.Shared(results.Select(r => r.Trace), GradientPlots.Shown);
        for (int i = 0; i < results.Count; i++)
        {
            var (trace, label) = (results[i].Trace, variants[i].Label);
            var (heatmap, curves) = plots.Targets[i];
            plots.Files.Write(heatmap, stream => stream.Write(GradientPlots.HeatmapPng(trace, label, range)));
            plots.Files.Write(curves, stream => stream.Write(GradientPlots.CurvesPng(trace, label)));
            terminal?.Text($"wrote {heatmap}");
            terminal?.Text($"wrote {curves}");
        }
    }

    // The three runs into the store, each named by its variant and tagged demo.
    private static IReadOnlyList<string> Record(CliContext context, Terminal? terminal, StoreRequest store, IReadOnlyList<(string Label, RunSpec Spec)> variants, IReadOnlyList<MonitoredRunResult> results)
    {
        var runs = new List<RunRecord>();
        for (int i = 0; i < results.Count; i++)
        {
            string name = store.Name is { } given ? $"{given}: {variants[i].Label}" : variants[i].Label;
            runs.Add(RunRecording.Finished("demo", results[i], name, ["demo"]));
        }

        var ids = RunRecording.SaveAll(context, store, runs);
        if (ids.Count > 0)
            terminal?.Text(RunRecording.Recorded(ids, store));
        return ids;
    }

    private sealed record Plots(OutputFiles Files, IReadOnlyList<(OutputTarget Heatmap, OutputTarget Curves)> Targets);

    private static Plots PlanPlots(OutputFiles files, string folder, IReadOnlyList<(string Label, RunSpec Spec)> variants)
    {
        var target = files.AddFolder("--png", folder);
        var targets = new List<(OutputTarget, OutputTarget)>();
        foreach (var (_, config) in variants)
        {
            var (heatmap, curves) = GradientPlots.FileNames(ActivationOf(config));
            targets.Add((files.AddFileIn(target, heatmap), files.AddFileIn(target, curves)));
        }

        return new Plots(files, targets);
    }

    internal static IEnumerable<IReadOnlyList<double>> EarlyDeltas(IReadOnlyList<MonitoredRunResult> results)
    {
        foreach (var r in results)
            yield return MonitoredRun.Context(r.Trace, r.Spec).Early(LayerStat.DeltaRms);
    }
}
