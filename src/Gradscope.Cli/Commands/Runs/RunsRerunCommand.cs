using System.CommandLine;
using Gradscope.Lab.Runs;

namespace Gradscope.Cli.Commands.Runs;

/// <summary>
/// <c>gradscope runs rerun ID</c>: trains the stored run's description again (the same data, network,
/// seed and budget: the same run), or with the budget, learning rate or seed overridden; the new run
/// is recorded in the same store, tagged <c>rerun-of:ID</c>.
/// </summary>
internal static class RunsRerunCommand
{
    /// <summary>The tag <c>runs import</c> gives the runs it stores.</summary>
    public const string ImportedTag = "imported";

    public static Command Create(CliContext context)
    {
        var store = StoreOptions.StorePath();
        var id = new Argument<string>("ID") { Description = "The run to repeat (id or unique prefix)." };
        var epochs = new Option<int?>("--epochs") { Description = "Override the epochs." };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Override the step budget." };
        var batch = new Option<int?>("--batch-size") { Description = "Override the batch size." };
        var lr = new Option<double?>("--lr") { Description = "Override the learning rate." };
        var seed = new Option<int?>("--seed") { Description = "Override the seed." };
        var name = new Option<string?>("--name") { Description = "A name for the new run." };
        var tag = new Option<string[]>("--tag") { Description = "A label for the new run; repeatable." };
        var json = CommonOptions.Json();
        var command = new Command("rerun",
            "Train a recorded run again, exactly or with overrides.\n\nExamples:\n  gradscope runs rerun 01JD3\n  gradscope runs rerun 01JD3 --epochs 50 --lr 0.05 --name longer")
        {
            id, store, epochs, maxSteps, batch, lr, seed, name, tag, json,
        };
        command.SetAction(parsed =>
        {
            RunSpec spec;
            string runId, path;
            using (var opened = RunIds.Open(parsed.GetValue(store)))
            {
                runId = RunIds.Resolve(opened, parsed.GetValue(id)!);
                path = opened.Path;
                var record = opened.Find(runId)!.Record;
                // An imported run was never Gradscope's to repeat: asking is bad usage, not bad data.
                if (record.Spec is null && record.Tags.Contains(ImportedTag))
                    throw new UsageException($"run {runId} was imported from a trace; it has no run description, so it cannot be re-run (train it again in its own framework).");
                spec = record.Spec ?? throw new GradscopeException($"run {runId} has no run description (it was not trained by Gradscope), so it cannot be re-run.");
            }

            spec = Override(spec, parsed.GetValue(epochs), parsed.GetValue(maxSteps), parsed.GetValue(batch), parsed.GetValue(lr), parsed.GetValue(seed));
            string file = Path.Combine(Directory.CreateTempSubdirectory("gradscope-rerun-").FullName, "run.json");
            try
            {
                File.WriteAllText(file, RunSpecJson.Write(spec));
                var args = new List<string> { "--run-spec", file, "--store", path, "--tag", "rerun-of:" + runId };
                if (parsed.GetValue(name) is { } n)
                    args.AddRange(["--name", n]);
                foreach (string t in parsed.GetValue(tag) ?? [])
                    args.AddRange(["--tag", t]);
                if (parsed.GetValue(json))
                    args.Add("--json");
                var train = TrainCommand.Create(context);
                return train.Parse(args).Invoke(new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false });
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
            }
        });
        return command;
    }

    private static RunSpec Override(RunSpec spec, int? epochs, int? maxSteps, int? batch, double? lr, int? seed)
    {
        if (epochs is < 1 || maxSteps is < 1 || batch is < 1)
            throw new UsageException("--epochs, --max-steps and --batch-size must be at least 1.");
        if (lr is { } rate && !(rate > 0 && double.IsFinite(rate)))
            throw new UsageException($"--lr must be a positive number; got {rate}.");
        return spec with
        {
            Budget = spec.Budget with
            {
                Epochs = epochs ?? spec.Budget.Epochs,
                MaxSteps = maxSteps ?? spec.Budget.MaxSteps,
                BatchSize = batch ?? spec.Budget.BatchSize,
            },
            Optimizer = lr is { } l ? spec.Optimizer with { LearningRate = l } : spec.Optimizer,
            Seed = seed ?? spec.Seed,
        };
    }
}
