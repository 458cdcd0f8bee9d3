using System.CommandLine;
using Gradscope.Cli.Output;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Spectre.Console;

namespace Gradscope.Cli.Commands.Runs;

/// <summary>
/// <c>gradscope runs compare ID ID...</c>: configurations side by side (settings that differ are
/// marked), each layer's gradient norm at the first and last step, final loss and accuracy, findings.
/// </summary>
internal static class RunsCompareCommand
{
    public static Command Create(CliContext context)
    {
        var store = StoreOptions.StorePath();
        var ids = new Argument<string[]>("ID") { Description = "Two or more run ids (or unique prefixes).", Arity = new ArgumentArity(2, 100) };
        var command = new Command("compare", "Compare recorded runs side by side.\n\nExamples:\n  gradscope runs compare 01JD3 01JD4\n  gradscope runs compare 01JD3 01JD4 01JD5 --store lab.db") { ids, store };
        command.SetAction(parsed =>
        {
            using var opened = RunIds.Open(parsed.GetValue(store));
            var runs = new List<RunRecord>();
            foreach (string prefix in parsed.GetValue(ids)!)
                runs.Add(opened.Load(RunIds.Resolve(opened, prefix)));
            var terminal = context.CreateTerminal();
            Settings(terminal, runs);
            Gradients(terminal, runs);
            Outcomes(terminal, runs);
            return CliApp.Success;
        });
        return command;
    }

    private static string[] Header(string first, List<RunRecord> runs) => [first, .. runs.Select(r => r.Name is null ? r.Id : $"{r.Name} ({r.Id[..10]})")];

    private static void Settings(Terminal terminal, List<RunRecord> runs)
    {
        var flat = runs.Select(r => RunsText.Flatten(r.Spec).ToDictionary(p => p.Key, p => p.Value)).ToList();
        var keys = new List<string>();
        foreach (var run in runs)
        {
            foreach (var (key, _) in RunsText.Flatten(run.Spec))
            {
                if (!keys.Contains(key))
                    keys.Add(key);
            }
        }

        var table = Terminal.NewTable(terminal.Plain, Header("setting", runs));
        foreach (string key in keys)
        {
            var values = flat.Select(f => f.TryGetValue(key, out var v) ? v : "-").ToList();
            bool differs = values.Distinct().Count() > 1;
            string label = differs ? (terminal.Plain ? "* " + key : $"[yellow bold]{Markup.Escape(key)}[/]") : Markup.Escape(key);
            table.AddRow([label, .. values.Select(v => differs && !terminal.Plain ? $"[yellow]{Markup.Escape(v)}[/]" : Markup.Escape(v))]);
        }

        terminal.Write(table);
        terminal.Text(terminal.Plain ? "* marks settings that differ" : "settings that differ are highlighted");
    }

    private static void Gradients(Terminal terminal, List<RunRecord> runs)
    {
        var table = Terminal.NewTable(terminal.Plain, Header("grad_norm start -> end", runs));
        int layers = runs.Max(r => r.Layers.Count);
        var ends = runs.Select(r => RunsText.StartAndEnd(r.Trace, LayerStat.GradNorm)).ToList();
        for (int l = 0; l < layers; l++)
        {
            var cells = new List<string> { $"layer {l + 1}" };
            for (int r = 0; r < runs.Count; r++)
                cells.Add(l < runs[r].Layers.Count ? $"{Format.Sci(ends[r].Start[l])} -> {Format.Sci(ends[r].End[l])}" : "-");
            table.AddRow([.. cells]);
        }

        terminal.Write(table);
    }

    private static void Outcomes(Terminal terminal, List<RunRecord> runs)
    {
        var table = Terminal.NewTable(terminal.Plain, Header("outcome", runs));
        table.AddRow(["status", .. runs.Select(r => Lab.Store.RunStore.StatusName(r.Status))]);
        table.AddRow(["steps", .. runs.Select(r => r.Trace.StepCount.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        table.AddRow(["loss", .. runs.Select(r => Format.Fixed(r.Final.Loss))]);
        table.AddRow(["train accuracy", .. runs.Select(r => Format.Percent(r.Final.TrainAccuracy))]);
        table.AddRow(["test accuracy", .. runs.Select(r => Format.Percent(r.Final.TestAccuracy))]);
        table.AddRow(["findings", .. runs.Select(r => r.Findings.Count == 0 ? "none" : Markup.Escape(string.Join(", ", r.Findings.Select(f => $"{f.Kind} ({f.Severity.ToString().ToLowerInvariant()})"))))]);
        terminal.Write(table);
    }
}
