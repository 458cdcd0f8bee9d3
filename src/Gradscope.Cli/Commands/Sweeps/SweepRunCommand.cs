using System.CommandLine;
using System.Globalization;
using Gradscope.Cli.Output;
using Gradscope.Lab.Store;
using Gradscope.Lab.Sweeps;
using Spectre.Console;

namespace Gradscope.Cli.Commands.Sweeps;

/// <summary>
/// <c>gradscope sweep run</c>: expands the sweep, records it (or checks it against the stored one of
/// the same name), runs its missing, failed and interrupted trials in parallel, then prints the summary.
/// </summary>
internal static class SweepRunCommand
{
    public static Command Create(CliContext context)
    {
        var o = new SweepOptions();
        var command = new Command("run",
            "Train every combination of the given training options (any option of 'train', repeated or as a comma list) for each seed, " +
            "in parallel, recording each trial in the run store tagged sweep:NAME; running the same sweep again resumes it.\n\n" +
            "Examples:\n" +
            "  gradscope sweep run --name depth --data spiral --layers 2x32 --layers 10x32 --activation sigmoid,tanh,relu --init standard,glorot-uniform,he-normal --seeds 3\n" +
            "  gradscope sweep run --name small --data spiral --layers 2x32 --layers 10x32 --activation tanh,relu --seeds 2 --dry-run\n" +
            "  gradscope sweep run --name lr --data spiral --max-steps 300 --lr 0.01,0.1,1 --parallel 2\n" +
            "  gradscope sweep run --spec sweep.json --json\n" +
            "  gradscope sweep run --spec sweep.json --store postgres://gradscope@db.example.org/lab --enqueue   (then 'gradscope worker' anywhere)");
        foreach (var option in o.Grid)
            command.Options.Add(option);
        foreach (var option in o.Own)
            command.Options.Add(option);
        command.SetAction(parsed => Run(context, o, parsed));
        return command;
    }

    private static int Run(CliContext context, SweepOptions o, ParseResult parsed)
    {
        int parallel = parsed.GetValue(o.Parallel);
        if (parallel < 1)
            throw new UsageException($"--parallel must be at least 1; got {parallel}.");
        var definition = SweepFlags.Definition(o, parsed);
        var describer = new TrialDescriber(o, parsed.GetValue(o.Spec));
        var trials = SweepExpansion.Expand(definition, describer.Describe);
        bool json = parsed.GetValue(o.Json);
        if (parsed.GetValue(o.DryRun))
            return DryRun(context, definition, trials, json);

        if (parsed.GetValue(o.Enqueue))
            return Enqueue(context, definition, trials, parsed.GetValue(o.Store), parsed.GetValue(o.Extend), json);
        string path = RunStore.ResolvePath(parsed.GetValue(o.Store));
        IReadOnlyList<StoredTrial> todo;
        using (var store = RunStore.Open(path))
        {
            Record(store, definition, trials, parsed.GetValue(o.Extend));
            store.ReleaseAbandonedTrials(definition.Name);
            todo = Runnable(store.Trials(definition.Name));
        }

        int stored = trials.Count;
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sweep {definition.Name}: {stored} trials, {todo.Count} to run on {Math.Min(parallel, Math.Max(1, todo.Count))} thread(s), store {path}"));
        var progress = new SweepProgress(context.Error, context.Plain, definition.Name, todo.Count);
        var stop = context.Interrupts.Listen();
        new SweepRunner(path, definition.Name, parallel, progress, stop).Run(todo);
        return SweepShowCommand.Print(context, path, definition.Name, json);
    }

    // Records the sweep with its trials queued (failed and interrupted ones queued again) for workers.
    private static int Enqueue(CliContext context, SweepDefinition definition, IReadOnlyList<SweepTrial> trials, string? storeOption, bool extend, bool json)
    {
        var location = WorkerCommand.SharedStore(storeOption, "sweep run --enqueue");
        StoredSweep stored;
        using (var store = RunStore.Open(location))
        {
            Record(store, definition, trials, extend);
            store.RequeueTrials(definition.Name);
            stored = store.FindSweep(definition.Name)!;
        }

        int queued = stored.Count(TrialState.Queued);

        string worker = $"gradscope worker --store {location.Display} --sweep {definition.Name} --idle-exit 60s";
        if (json)
        {
            Output.JsonOutput.WriteObject(context.Out, w =>
            {
                w.WriteString("sweep", definition.Name);
                w.WriteNumber("trials", trials.Count);
                w.WriteNumber("queued", queued);
                w.WriteString("store", location.Display);
                w.WriteString("worker", worker);
            });
            return CliApp.Success;
        }

        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sweep {definition.Name}: {trials.Count} trials, {queued} queued in {location.Display}"));
        if (queued == 0)
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"nothing to queue: {stored.Count(TrialState.Done)} done, {stored.Count(TrialState.Running)} running (see 'gradscope sweep show {definition.Name} --store {location.Display}')"));
            return CliApp.Success;
        }

        context.Out.WriteLine($"start workers (on any machines) with:\n  {worker}");
        context.Out.WriteLine($"and follow them with:\n  gradscope sweep status {definition.Name} --store {location.Display}");
        return CliApp.Success;
    }

    private static int DryRun(CliContext context, SweepDefinition definition, IReadOnlyList<SweepTrial> trials, bool json)
    {
        if (json)
        {
            context.Out.WriteLine(SweepJson.WritePlan(definition, trials));
            return CliApp.Success;
        }

        var terminal = context.CreateTerminal();
        var table = Terminal.NewTable(terminal.Plain, "trial", "cell", "seed", "key");
        foreach (var trial in trials)
        {
            table.AddRow(trial.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(trial.Cell.Length == 0 ? "(all)" : trial.Cell),
                trial.Seed.ToString(CultureInfo.InvariantCulture), trial.Key);
        }

        terminal.Write(table);
        terminal.Text($"sweep {definition.Name}: {trials.Count} trial{(trials.Count == 1 ? string.Empty : "s")} (dry run: nothing trained or recorded)");
        return CliApp.Success;
    }

    // Same grid: resume. A different grid: an error unless --extend, which adds the new trials.
    private static void Record(RunStore store, SweepDefinition definition, IReadOnlyList<SweepTrial> trials, bool extend)
    {
        var existing = store.FindSweep(definition.Name);
        if (existing is not null && !extend)
        {
            var keys = new List<string>(trials.Count);
            foreach (var trial in trials)
                keys.Add(trial.Key);
            if (SweepTrial.GridHash(keys) != existing.GridHash)
            {
                throw new UsageException(
                    $"sweep '{definition.Name}' in {store.Path} was run with a different grid ({existing.Total} trials; these options make {trials.Count}, not the same runs). " +
                    "Give the same options to resume it, add --extend to add these trials to it, or choose another --name.");
            }

            return;
        }

        store.SaveSweep(definition, trials);
    }

    private static List<StoredTrial> Runnable(IReadOnlyList<StoredTrial> trials)
    {
        var todo = new List<StoredTrial>();
        foreach (var trial in trials)
        {
            if (trial.State is TrialState.Queued or TrialState.Failed or TrialState.Interrupted)
                todo.Add(trial);
        }

        return todo;
    }
}
