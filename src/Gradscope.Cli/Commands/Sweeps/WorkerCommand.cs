using System.CommandLine;
using System.Globalization;
using Gradscope.Cli.Commands.Runs;
using Gradscope.Lab.Store;
using Gradscope.Lab.Sweeps.Workers;

namespace Gradscope.Cli.Commands.Sweeps;

/// <summary>
/// <c>gradscope worker</c>: drains the shared trial queue of a PostgreSQL store, as many of these
/// on as many machines as the site's scheduler starts. One plain line per trial start and end on
/// standard output (it runs in batch systems: no progress bar).
/// </summary>
internal static class WorkerCommand
{
    public static Command Create(CliContext context)
    {
        var store = StoreOptions.StorePath();
        var sweep = new Option<string?>("--sweep") { Description = "Run only this sweep's trials (default: any sweep's queued trials)." };
        var maxTrials = new Option<int?>("--max-trials") { Description = "Claim at most this many trials, then exit (per worker process)." };
        var idleExit = new Option<string?>("--idle-exit") { Description = "Exit once nothing of the sweep (or of any sweep) has been queued or running anywhere for this long: 0s, 30s, 5m, 1h (default: keep waiting for work)." };
        var parallel = new Option<int>("--parallel") { Description = "Trials trained at once, each on one thread.", DefaultValueFactory = _ => 1 };
        var lease = new Option<string>("--lease") { Description = "How long a claimed trial stays this worker's without a heartbeat (renewed every third of it); a killed worker's trial is taken over after it.", DefaultValueFactory = _ => "60s" };
        var maxAttempts = new Option<int>("--max-attempts") { Description = "A trial whose attempts fail, or lose their worker (lease lapsed), this many times is failed for good (each error is kept; a trial given back on SIGTERM does not count).", DefaultValueFactory = _ => RunStore.DefaultMaxAttempts };
        var command = new Command("worker",
            "Train queued sweep trials from a shared PostgreSQL run store (queued by 'gradscope sweep run ... --enqueue'), one per slot at a time, " +
            "each single-threaded and recorded live. Start as many workers, on as many machines, as you like. SIGTERM or Ctrl-C gives the trials in hand back to the queue.\n\n" +
            "Examples:\n" +
            "  gradscope worker --store postgres://gradscope@db.example.org/lab --sweep depth --idle-exit 60s\n" +
            "  gradscope worker --store postgres://gradscope@db.example.org/lab --parallel 4 --max-trials 100")
        {
            store, sweep, maxTrials, idleExit, parallel, lease, maxAttempts,
        };
        command.SetAction(parsed =>
        {
            var options = Options(parsed, store, sweep, maxTrials, idleExit, parallel, lease, maxAttempts);
            return Run(context, options);
        });
        return command;
    }

    /// <summary>The store a shared-queue command uses: a PostgreSQL one, else bad usage that says why.</summary>
    public static StoreLocation SharedStore(string? option, string what)
    {
        string path = RunStore.ResolvePath(option);
        if (!StoreLocation.IsPostgresText(path))
        {
            throw new UsageException(
                $"{what} needs a PostgreSQL store (--store postgres://user@host/db): the run store '{path}' is a SQLite file, which cannot be shared by machines. " +
                "To run a sweep on this machine, use 'gradscope sweep run' without --enqueue.");
        }

        try
        {
            return StoreLocation.Parse(path);
        }
        catch (StoreException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static WorkerOptions Options(ParseResult parsed, Option<string?> store, Option<string?> sweep, Option<int?> maxTrials, Option<string?> idleExit,
        Option<int> parallel, Option<string> lease, Option<int> maxAttempts)
    {
        int slots = parsed.GetValue(parallel);
        if (slots < 1 || slots > 1024)
            throw new UsageException($"--parallel must be from 1 to 1024; got {slots}.");
        if (parsed.GetValue(maxTrials) is < 1 and var max)
            throw new UsageException($"--max-trials must be at least 1; got {max}.");
        int attempts = parsed.GetValue(maxAttempts);
        if (attempts < 1)
            throw new UsageException($"--max-attempts must be at least 1; got {attempts}.");
        if (parsed.GetValue(sweep) is { } name && name.Trim().Length == 0)
            throw new UsageException("--sweep must not be empty.");
        var leaseTime = Durations.Parse(parsed.GetValue(lease)!, "--lease", TimeSpan.FromSeconds(1));
        TimeSpan? idle = parsed.GetValue(idleExit) is { } text ? Durations.Parse(text, "--idle-exit", TimeSpan.Zero) : null;
        return new WorkerOptions
        {
            Store = SharedStore(parsed.GetValue(store), "gradscope worker"),
            Sweep = parsed.GetValue(sweep),
            Slots = slots,
            MaxTrials = parsed.GetValue(maxTrials),
            IdleExit = idle,
            Lease = leaseTime,
            MaxAttempts = attempts,
        };
    }

    private static int Run(CliContext context, WorkerOptions options)
    {
        var gate = new Lock();
        var worker = new Worker(options, e => Write(context.Out, gate, Line(e)), message => Write(context.Error, gate, message));
        string scope = options.Sweep is null ? "any sweep" : $"sweep {options.Sweep}";
        context.Error.WriteLine($"worker {worker.Identity.Id}: {options.Slots} slot(s), {scope}, store {options.Store.Display}, lease {Durations.Format(options.Lease)}");
        var stop = context.Interrupts.Listen();
        var result = worker.Run(stop);
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"worker {worker.Identity.Id}: {result.Done} done, {result.Failed} failed, {result.Interrupted} interrupted"));
        if (result.Failure is { } failure)
        {
            context.Error.WriteLine($"error: {failure.Message}");
            return CliApp.Failure;
        }

        return context.Interrupts.StopRequested ? context.Interrupts.ExitCode : CliApp.Success;
    }

    private static string Line(TrialEvent e)
    {
        var trial = e.Claim.Trial;
        string cell = trial.Cell.Length == 0 ? "(all)" : trial.Cell;
        string timing = e.State == "started" ? $"attempt {e.Claim.Attempt}" : string.Create(CultureInfo.InvariantCulture, $"{e.Seconds:0.00} s");
        string detail = e.Detail is null || e.State is "done" or "started" ? string.Empty : $": {e.Detail}";
        return string.Create(CultureInfo.InvariantCulture,
            $"slot {e.Slot} {e.State,-10} sweep {e.Claim.Sweep} trial {trial.Index} {cell} seed={trial.Seed} {timing}{detail}");
    }

    private static void Write(TextWriter writer, Lock gate, string line)
    {
        lock (gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
