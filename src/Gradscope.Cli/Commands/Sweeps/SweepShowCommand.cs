using System.CommandLine;
using Gradscope.Cli.Commands.Runs;
using Gradscope.Cli.Output;
using Gradscope.Lab.Store;
using Gradscope.Lab.Sweeps;

namespace Gradscope.Cli.Commands.Sweeps;

/// <summary><c>gradscope sweep show NAME</c>: the summary table of a sweep, computed from its stored runs.</summary>
internal static class SweepShowCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The sweep's name (see 'gradscope sweep list')." };
        var store = StoreOptions.StorePath();
        var json = CommonOptions.Json();
        var command = new Command("show",
            "Summarize a sweep per cell (its trials differ only in their seed): mean ± sample standard deviation over the seeds of the orders of magnitude " +
            "the gradient loses from the last layer to the first, the first-to-last gradient ratio, final loss, train and test accuracy, and the findings.\n\n" +
            "Examples:\n  gradscope sweep show depth\n  gradscope sweep show depth --json")
        {
            name, store, json,
        };
        command.SetAction(parsed => Print(context, RunStore.ResolvePath(parsed.GetValue(store)), parsed.GetValue(name)!, parsed.GetValue(json)));
        return command;
    }

    /// <summary>Prints the summary; exit 1 when a trial failed, else 0 (or the interrupt's code after Ctrl-C).</summary>
    public static int Print(CliContext context, string path, string name, bool json)
    {
        SweepSummary summary;
        using (var store = RunIds.Open(path))
        {
            if (store.FindSweep(name) is null)
                throw new UsageException($"no sweep '{name}' in {path} (see 'gradscope sweep list').");
            summary = SweepSummaries.Of(store, name);
        }

        if (json)
            JsonOutput.WriteObject(context.Out, w => SweepView.Json(w, summary));
        else
            SweepView.Table(context.CreateTerminal(), summary);
        if (context.Interrupts.StopRequested)
            return context.Interrupts.ExitCode;
        int failed = summary.Count(TrialState.Failed);
        if (failed > 0)
            context.Error.WriteLine($"error: {failed} trial(s) of sweep {name} failed (their errors: 'gradscope runs list --tag {RunStore.SweepTag(name)} --status failed'); run the sweep again to retry them.");
        return failed > 0 ? CliApp.Failure : CliApp.Success;
    }
}
