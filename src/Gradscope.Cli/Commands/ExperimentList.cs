using System.CommandLine;
using Gradscope.Cli.Output;
using Gradscope.Lab.Experiments;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary><c>gradscope experiment list [--json]</c>: every experiment of the catalogue with what it shows and the papers it reproduces.</summary>
internal static class ExperimentList
{
    public static Command Create(CliContext context, IReadOnlyList<IExperiment> catalogue)
    {
        var json = CommonOptions.Json();
        var command = new Command("list", "List the experiments of the catalogue: name, what each shows, the papers it reproduces.\n\n" +
            "Examples:\n" +
            "  gradscope experiment list\n" +
            "  gradscope experiment list --json");
        command.Options.Add(json);
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(json))
                WriteJson(context.Out, catalogue);
            else
                WriteText(context.CreateTerminal(), catalogue);
            return CliApp.Success;
        });
        return command;
    }

    private static void WriteText(Terminal terminal, IReadOnlyList<IExperiment> catalogue)
    {
        var table = Terminal.NewTable(terminal.Plain, "name", "summary", "papers");
        table.Columns[1].LeftAligned();
        table.Columns[2].LeftAligned();
        foreach (var experiment in catalogue)
            table.AddRow(Markup.Escape(experiment.Name), Markup.Escape(experiment.Summary), Markup.Escape(string.Join("; ", experiment.Papers)));
        terminal.Write(table);
        terminal.Text("run one with: gradscope experiment run NAME [--quick]");
    }

    private static void WriteJson(TextWriter output, IReadOnlyList<IExperiment> catalogue)
    {
        JsonOutput.WriteObject(output, w =>
        {
            w.WriteStartArray("experiments");
            foreach (var experiment in catalogue)
            {
                w.WriteStartObject();
                w.WriteString("name", experiment.Name);
                w.WriteString("summary", experiment.Summary);
                w.WriteStartArray("papers");
                foreach (string paper in experiment.Papers)
                    w.WriteStringValue(paper);
                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }
}
