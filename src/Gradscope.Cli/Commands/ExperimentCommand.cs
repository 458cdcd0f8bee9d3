using System.CommandLine;
using Gradscope.Cli.Commands.Runs;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope experiment NAME [--quick] [--seed N] [--json]</c>: runs one of the classic
/// experiments. Each experiment is one entry of <see cref="Experiments"/>; adding one is one line
/// there plus its runner.
/// </summary>
internal static class ExperimentCommand
{
    /// <summary>The options every experiment receives.</summary>
    internal sealed record Settings(bool Quick, int Seed, bool Json)
    {
        /// <summary>Where the experiment records the runs it trains (tagged <c>experiment:NAME</c>).</summary>
        public StoreRequest Store { get; init; } = StoreRequest.Off;
    }

    private sealed record Entry(string Name, string Description, Func<CliContext, Settings, int> Run);

    private static readonly Entry[] Experiments =
    [
        new(Recurrent.Experiments.RnnVsLstm.Name, "the adding problem at growing T: plain RNN vs LSTM vs GRU", RnnVsLstmRunner.Run),
        new(Diagnostics.Experiments.ResidualVsPlain.Name, "plain vs residual vs batch-normalized deep sigmoid networks at growing depth", ResidualVsPlainRunner.Run),
    ];

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The experiment: " + Describe() };
        var quick = new Option<bool>("--quick") { Description = "The small version, sized to finish in about a minute on 2 cores." };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var store = new StoreOptions();
        var command = new Command("experiment",
            "Run a classic vanishing/exploding-gradient experiment and print its table.\n\n" +
            "Examples:\n" +
            "  gradscope experiment rnn-vs-lstm --quick\n" +
            "  gradscope experiment rnn-vs-lstm --seed 2 --json\n" +
            "  gradscope experiment residual-vs-plain --quick");
        command.Arguments.Add(name);
        command.Options.Add(quick);
        command.Options.Add(seed);
        command.Options.Add(json);
        foreach (var option in store.All)
            command.Options.Add(option);
        command.SetAction(parsed =>
        {
            string requested = parsed.GetValue(name)!;
            var settings = new Settings(parsed.GetValue(quick), parsed.GetValue(seed), parsed.GetValue(json)) { Store = store.Read(parsed) };
            foreach (var entry in Experiments)
            {
                if (string.Equals(entry.Name, requested, StringComparison.OrdinalIgnoreCase))
                    return entry.Run(context, settings);
            }

            throw new UsageException($"Unknown experiment '{requested}'. Valid experiments: {string.Join(", ", Names())}.");
        });
        return command;
    }

    private static IEnumerable<string> Names()
    {
        foreach (var entry in Experiments)
            yield return entry.Name;
    }

    private static string Describe() => string.Join("; ", Experiments.Select(e => $"{e.Name} ({e.Description})"));
}
