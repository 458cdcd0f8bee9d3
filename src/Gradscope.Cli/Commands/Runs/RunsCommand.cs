using System.CommandLine;

namespace Gradscope.Cli.Commands.Runs;

/// <summary><c>gradscope runs</c>: the recorded runs: list, show, compare, rerun, export, tag, rm.</summary>
internal static class RunsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("runs",
            "The runs recorded in the run store (gradscope.db, --store or $GRADSCOPE_STORE).\n\n" +
            "Examples:\n  gradscope runs list\n  gradscope runs show 01JD3\n  gradscope runs compare 01JD3 01JD4\n  gradscope runs rerun 01JD3 --epochs 50\n  gradscope runs export 01JD3 --format tensorboard -o logs");
        command.Subcommands.Add(RunsListCommand.Create(context));
        command.Subcommands.Add(RunsShowCommand.Create(context));
        command.Subcommands.Add(RunsCompareCommand.Create(context));
        command.Subcommands.Add(RunsRerunCommand.Create(context));
        command.Subcommands.Add(RunsExportCommand.Create(context));
        command.Subcommands.Add(RunsImportCommand.Create(context));
        command.Subcommands.Add(Tag(context));
        command.Subcommands.Add(Remove(context));
        return command;
    }

    private static Command Tag(CliContext context)
    {
        var store = StoreOptions.StorePath();
        var id = new Argument<string>("ID") { Description = "The run (id or unique prefix)." };
        var tags = new Argument<string[]>("TAG") { Description = "Tags to add (or remove with --remove).", Arity = ArgumentArity.OneOrMore };
        var remove = new Option<bool>("--remove") { Description = "Remove the tags instead of adding them." };
        var command = new Command("tag", "Add or remove tags of a run.\n\nExamples:\n  gradscope runs tag 01JD3 baseline sigmoid\n  gradscope runs tag 01JD3 sigmoid --remove") { id, tags, store, remove };
        command.SetAction(parsed =>
        {
            using var opened = RunIds.Open(parsed.GetValue(store));
            string runId = RunIds.Resolve(opened, parsed.GetValue(id)!);
            var current = opened.Find(runId)!.Record.Tags.ToList();
            foreach (string tag in parsed.GetValue(tags)!)
            {
                if (tag.Trim().Length == 0 || tag.Contains('\n', StringComparison.Ordinal))
                    throw new UsageException($"'{tag}' is not a tag: use a non-empty word without line breaks.");
                if (parsed.GetValue(remove))
                    current.Remove(tag);
                else if (!current.Contains(tag))
                    current.Add(tag);
            }

            opened.SetTags(runId, current);
            context.Out.WriteLine($"run {runId}: tags {(current.Count == 0 ? "none" : string.Join(", ", current))}");
            return CliApp.Success;
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var store = StoreOptions.StorePath();
        var ids = new Argument<string[]>("ID") { Description = "Runs to delete (ids or unique prefixes).", Arity = ArgumentArity.OneOrMore };
        var yes = new Option<bool>("--yes", "-y") { Description = "Delete without asking." };
        var command = new Command("rm", "Delete runs with everything recorded for them. Asks first unless --yes.\n\nExamples:\n  gradscope runs rm 01JD3\n  gradscope runs rm 01JD3 01JD4 --yes") { ids, store, yes };
        command.SetAction(parsed =>
        {
            using var opened = RunIds.Open(parsed.GetValue(store));
            var runIds = parsed.GetValue(ids)!.Select(prefix => RunIds.Resolve(opened, prefix)).Distinct().ToList();
            if (!parsed.GetValue(yes))
            {
                if (context.Plain || Console.IsInputRedirected)
                    throw new UsageException("runs rm asks before deleting, and standard input is not a terminal: add --yes to delete without asking.");
                context.Out.Write($"Delete {runIds.Count} run{(runIds.Count == 1 ? string.Empty : "s")} ({string.Join(", ", runIds)}) from {opened.Path}? [y/N] ");
                string? answer = Console.ReadLine();
                if (answer is null || !answer.Trim().StartsWith('y'))
                {
                    context.Out.WriteLine("nothing deleted");
                    return CliApp.Success;
                }
            }

            foreach (string runId in runIds)
                opened.Delete(runId);
            context.Out.WriteLine($"deleted {string.Join(", ", runIds)}");
            return CliApp.Success;
        });
        return command;
    }
}
