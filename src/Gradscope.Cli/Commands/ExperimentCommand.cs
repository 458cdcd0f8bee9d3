using System.CommandLine;
using Gradscope.Lab.Experiments;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope experiment list [--json]</c> and <c>gradscope experiment run NAME [options]</c>:
/// the experiment catalogue (<see cref="ExperimentCatalogue"/>). <c>gradscope experiment NAME
/// [options]</c> is a short form of <c>run</c>: the parent command takes the name as an argument, and
/// a first token <c>run</c> or <c>list</c> picks the subcommand instead.
/// </summary>
internal static class ExperimentCommand
{
    public static Command Create(CliContext context, IReadOnlyList<IExperiment> catalogue)
    {
        var command = new Command("experiment",
            "Run a classic vanishing/exploding-gradient experiment: its table, the paper's numbers beside ours and its expectations checked (exit 1 when one fails).\n\n" +
            "Examples:\n" +
            "  gradscope experiment list\n" +
            "  gradscope experiment run rnn-vs-lstm --quick\n" +
            "  gradscope experiment run residual-vs-plain --quick --json\n" +
            "  gradscope experiment rnn-vs-lstm --quick --report rnn.html");
        command.Subcommands.Add(ExperimentList.Create(context, catalogue));
        command.Subcommands.Add(RunCommand(context, catalogue));

        // The short form: experiment NAME [options].
        var name = new Argument<string?>("name") { Description = "The experiment (see 'gradscope experiment list').", Arity = ArgumentArity.ZeroOrOne };
        command.Arguments.Add(name);
        var options = new ExperimentOptions();
        options.AddTo(command);
        command.SetAction(parsed => ExperimentRunner.Run(context, catalogue, parsed.GetValue(name), options.Read(parsed)));
        return command;
    }

    private static Command RunCommand(CliContext context, IReadOnlyList<IExperiment> catalogue)
    {
        var command = new Command("run", "Run one experiment of the catalogue and print its tables and expectations.\n\n" +
            "Examples:\n" +
            "  gradscope experiment run rnn-vs-lstm --quick\n" +
            "  gradscope experiment run residual-vs-plain --seed 2 --json");
        var name = new Argument<string>("name") { Description = "The experiment (see 'gradscope experiment list')." };
        command.Arguments.Add(name);
        var options = new ExperimentOptions();
        options.AddTo(command);
        command.SetAction(parsed => ExperimentRunner.Run(context, catalogue, parsed.GetValue(name), options.Read(parsed)));
        return command;
    }

    /// <summary>The experiment named <paramref name="name"/>; a usage error listing the valid names otherwise.</summary>
    public static IExperiment Find(IReadOnlyList<IExperiment> catalogue, string? name)
    {
        var names = new List<string>(catalogue.Count);
        foreach (var experiment in catalogue)
        {
            if (string.Equals(experiment.Name, name, StringComparison.OrdinalIgnoreCase))
                return experiment;
            names.Add(experiment.Name);
        }

        if (string.IsNullOrWhiteSpace(name))
            throw new UsageException($"Name an experiment ('gradscope experiment run NAME') or list them ('gradscope experiment list'). Valid experiments: {string.Join(", ", names)}.");
        throw new UsageException($"Unknown experiment '{name}'. Valid experiments: {string.Join(", ", names)}.");
    }
}
