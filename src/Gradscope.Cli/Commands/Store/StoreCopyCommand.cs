using System.CommandLine;
using System.Globalization;
using Gradscope.Cli.Commands.Runs;
using Gradscope.Cli.Output;
using Gradscope.Lab.Store;
using Gradscope.Lab.Store.Copy;

namespace Gradscope.Cli.Commands.Store;

/// <summary>
/// <c>gradscope store copy FROM TO</c>: copies runs and sweeps from one store to another (a
/// laptop's SQLite file into the shared PostgreSQL database and back). Idempotent: what TO
/// already has is skipped. Runs still running in FROM are skipped and named; copy again once they
/// end. Ctrl-C stops between runs (exit 130); the runs copied by then are whole.
/// </summary>
internal static class StoreCopyCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Argument<string>("FROM") { Description = "The store to copy from: a SQLite file (it must exist) or postgres://user@host[:port]/db." };
        var to = new Argument<string>("TO") { Description = "The store to copy into (created when missing): a SQLite file or postgres://user@host[:port]/db." };
        var run = new Option<string[]>("--run") { Description = "Copy only this run (id or unique prefix); repeatable." };
        var sweep = new Option<string[]>("--sweep") { Description = "Copy only this sweep, with its trials and runs; repeatable." };
        var json = CommonOptions.Json();
        var command = new Command("copy",
            "Copy runs (steps, histograms, epochs, tags, model) and sweeps from FROM to TO, SQLite or PostgreSQL either way. " +
            "Runs and sweeps TO already has are skipped, so copying again copies nothing twice; runs still running are skipped until they end.\n\n" +
            "Examples:\n  gradscope store copy gradscope.db postgres://me@db.lab/gradscope\n  gradscope store copy postgres://me@db.lab/gradscope laptop.db --run 01JD3 --sweep depth")
        {
            from, to, run, sweep, json,
        };
        command.SetAction(parsed => Run(context, parsed.GetValue(from)!, parsed.GetValue(to)!, parsed.GetValue(run) ?? [], parsed.GetValue(sweep) ?? [], parsed.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, string fromText, string toText, string[] runs, string[] sweeps, bool json)
    {
        var from = Location(fromText, "FROM");
        var to = Location(toText, "TO");
        if (from.IsSameStore(to))
            throw new UsageException($"FROM and TO are the same store ('{from.Display}'): name two different stores.");
        if (!to.IsPostgres && Path.GetDirectoryName(Path.GetFullPath(to.Display)) is { } folder && !Directory.Exists(folder))
            throw new UsageException($"TO '{to.Display}' cannot be created: folder '{folder}' does not exist.");
        if (!to.IsPostgres && Directory.Exists(to.Display))
            throw new UsageException($"TO '{to.Display}' is a folder: name the store file inside it (for example {Path.Combine(to.Display, RunStore.DefaultFileName)}).");
        var stop = context.Interrupts.Listen();
        using var copy = StoreCopy.Open(from, to);
        var (runIds, sweepNames) = Select(copy, runs, sweeps);
        var result = copy.Copy(runIds, sweepNames, stop);
        if (json)
            Json(context, result, from, to);
        else
            Text(context, result, from, to);
        return result.Stopped ? context.Interrupts.ExitCode : CliApp.Success;
    }

    private static StoreLocation Location(string text, string name)
    {
        if (text.Trim().Length == 0)
            throw new UsageException($"{name} must name a SQLite file or a PostgreSQL database (postgres://user@host/db).");
        try
        {
            return StoreLocation.Parse(text);
        }
        catch (StoreException ex)
        {
            throw new UsageException($"{name}: {ex.Message}");
        }
    }

    // Null lists copy everything; --run and --sweep copy only what they name (a sweep with its runs).
    private static (List<string>? Runs, List<string>? Sweeps) Select(StoreCopy copy, string[] runs, string[] sweeps)
    {
        if (runs.Length == 0 && sweeps.Length == 0)
            return (null, null);
        var ids = new List<string>();
        foreach (string prefix in runs)
            ids.Add(RunIds.Resolve(copy.Source, prefix));
        var names = new List<string>();
        foreach (string name in sweeps)
        {
            if (copy.Source.FindSweep(name) is null)
                throw new UsageException($"--sweep '{name}': '{copy.Source.Path}' has no sweep by that name (see 'gradscope sweep list').");
            names.Add(name);
            ids.AddRange(copy.RunsOfSweep(name));
        }

        return (ids, names);
    }

    private static void Text(CliContext context, StoreCopyResult result, StoreLocation from, StoreLocation to)
    {
        var o = context.Out;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(result.Stopped ? "stopped: " : string.Empty)}copied {result.RunsCopied} run(s) ({result.Steps} steps) and {result.SweepsCopied} sweep(s) from {from.Display} to {to.Display} " +
            $"in {result.Elapsed.TotalSeconds:0.0} s ({result.Bytes / 1e6:0.0} MB, {result.MegabytesPerSecond:0.0} MB/s)"));
        if (result.RunsPresent > 0)
            o.WriteLine($"skipped {result.RunsPresent} run(s) already in {to.Display}");
        if (result.SweepsPresent > 0)
            o.WriteLine($"updated {result.SweepsPresent} sweep(s) already in {to.Display} (trials that moved on since the last copy)");
        if (result.SweepsUpToDate > 0)
            o.WriteLine($"{result.SweepsUpToDate} sweep(s) already up to date in {to.Display}");
        if (result.RunsStillRunning.Count > 0)
            o.WriteLine($"skipped {result.RunsStillRunning.Count} run(s) still running in {from.Display} ({string.Join(", ", result.RunsStillRunning)}): copy again once they end");
        if (result.Stopped)
            context.Error.WriteLine("stopped before copying everything: the runs copied are whole; copy again to copy the rest.");
    }

    private static void Json(CliContext context, StoreCopyResult result, StoreLocation from, StoreLocation to) => JsonOutput.WriteObject(context.Out, w =>
    {
        w.WriteString("from", from.Display);
        w.WriteString("to", to.Display);
        w.WriteNumber("runs_copied", result.RunsCopied);
        w.WriteNumber("runs_skipped_present", result.RunsPresent);
        w.WriteStartArray("runs_skipped_running");
        foreach (string id in result.RunsStillRunning)
            w.WriteStringValue(id);
        w.WriteEndArray();
        w.WriteNumber("sweeps_copied", result.SweepsCopied);
        w.WriteNumber("sweeps_updated", result.SweepsPresent);
        w.WriteNumber("sweeps_up_to_date", result.SweepsUpToDate);
        w.WriteNumber("steps", result.Steps);
        w.WriteNumber("bytes", result.Bytes);
        w.WriteNumber("seconds", Math.Round(result.Elapsed.TotalSeconds, 3));
        w.WriteNumber("mb_per_s", Math.Round(result.MegabytesPerSecond, 2));
        w.WriteBoolean("stopped", result.Stopped);
    });
}
