using System.CommandLine;
using System.Globalization;
using Gradscope.Cli.Commands.Runs;
using Gradscope.Cli.Output;
using Gradscope.Lab.Store;
using Spectre.Console;

namespace Gradscope.Cli.Commands.Sweeps;

/// <summary><c>gradscope sweep</c>: run, show and list sweeps (grids of runs over training options and seeds).</summary>
internal static class SweepCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("sweep",
            "Run a grid of training runs (every combination of the options given, for each seed) in parallel, record each in the run store, and summarize them per cell.\n\n" +
            "Examples:\n" +
            "  gradscope sweep run --name depth --data spiral --max-steps 300 --layers 2x32 --layers 10x32 --activation sigmoid,tanh,relu --seeds 3\n" +
            "  gradscope sweep show depth\n" +
            "  gradscope sweep run --name depth ... --store postgres://gradscope@db.example.org/lab --enqueue   (then 'gradscope worker' on any machines)\n" +
            "  gradscope sweep status depth --store postgres://gradscope@db.example.org/lab\n" +
            "  gradscope sweep list");
        command.Subcommands.Add(SweepRunCommand.Create(context));
        command.Subcommands.Add(SweepShowCommand.Create(context));
        command.Subcommands.Add(SweepStatusCommand.Create(context));
        command.Subcommands.Add(List(context));
        return command;
    }

    private static Command List(CliContext context)
    {
        var store = StoreOptions.StorePath();
        var json = CommonOptions.Json();
        var command = new Command("list", "List the recorded sweeps with their trials by state.\n\nExamples:\n  gradscope sweep list\n  gradscope sweep list --json") { store, json };
        command.SetAction(parsed =>
        {
            using var opened = RunIds.Open(parsed.GetValue(store));
            var sweeps = opened.ListSweeps();
            if (parsed.GetValue(json))
                JsonOutput.WriteObject(context.Out, w => Lab.Sweeps.SweepJson.WriteList(w, sweeps));
            else
                Table(context.CreateTerminal(), sweeps, opened.Path);
            return CliApp.Success;
        });
        return command;
    }

    private static void Table(Terminal terminal, IReadOnlyList<StoredSweep> sweeps, string path)
    {
        if (sweeps.Count == 0)
        {
            terminal.Text($"no sweeps in {path}");
            return;
        }

        var table = Terminal.NewTable(terminal.Plain, "name", "created (UTC)", "trials", "done", "failed", "queued", "running", "interrupted");
        foreach (var sweep in sweeps)
        {
            table.AddRow(Markup.Escape(sweep.Name), sweep.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Number(sweep.Total), Number(sweep.Count(TrialState.Done)), Number(sweep.Count(TrialState.Failed)), Number(sweep.Count(TrialState.Queued)),
                Number(sweep.Count(TrialState.Running)), Number(sweep.Count(TrialState.Interrupted)));
        }

        terminal.Write(table);
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
