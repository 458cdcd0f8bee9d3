using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Gradscope.Cli.Commands.Runs;
using Gradscope.Cli.Output;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Spectre.Console;

namespace Gradscope.Cli.Commands.Sweeps;

/// <summary>
/// <c>gradscope sweep status NAME</c>: where a sweep's queue stands: trials by state, those running
/// (worker, host, attempt, for how long), those failed (last error), the rate, live workers, ETA.
/// </summary>
internal static class SweepStatusCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The sweep's name (see 'gradscope sweep list')." };
        var store = StoreOptions.StorePath();
        var json = CommonOptions.Json();
        var command = new Command("status",
            "Show where a sweep's trials are: queued, running (by worker and host, for how long), done, failed (with the last error); " +
            "trials finished per minute over the last ten minutes, workers alive (heartbeat within their lease) and the time left at that rate.\n\n" +
            "Examples:\n  gradscope sweep status depth --store postgres://gradscope@db.example.org/lab\n  gradscope sweep status depth --json")
        {
            name, store, json,
        };
        command.SetAction(parsed =>
        {
            string sweep = parsed.GetValue(name)!;
            SweepQueueStatus status;
            using (var opened = RunIds.Open(parsed.GetValue(store)))
                status = opened.QueueStatus(sweep) ?? throw new UsageException($"no sweep '{sweep}' in {opened.Path} (see 'gradscope sweep list').");
            if (parsed.GetValue(json))
                JsonOutput.WriteObject(context.Out, w => Json(w, status));
            else
                Table(context.CreateTerminal(), status);
            return CliApp.Success;
        });
        return command;
    }

    private static void Table(Terminal terminal, SweepQueueStatus status)
    {
        string eta = status.EtaSeconds is { } s ? Span(TimeSpan.FromSeconds(s)) : "-";
        terminal.Text(string.Create(CultureInfo.InvariantCulture,
            $"sweep {status.Name}: {status.Count(TrialState.Queued)} queued, {status.Count(TrialState.Running)} running, {status.Count(TrialState.Done)} done, " +
            $"{status.Count(TrialState.Failed)} failed, {status.Count(TrialState.Interrupted)} interrupted; {status.TrialsPerMinute:0.0} trials/min, " +
            $"{status.WorkersAlive} worker(s) alive, ETA {eta}"));
        int lapsed = 0;
        foreach (var trial in status.Running)
            lapsed += trial.LeaseLapsedSeconds is null ? 0 : 1;
        if (lapsed > 0)
        {
            // Without this a killed worker's trial reads as running until a worker polls, for ever when none is left.
            terminal.Text(string.Create(CultureInfo.InvariantCulture,
                $"{lapsed} of the running trials have a lapsed lease (their worker was killed or lost the store): the next worker to poll queues them again."));
        }

        if (status.Running.Count > 0)
            RunningTable(terminal, status.Running);

        if (status.Failed.Count > 0)
        {
            var table = Terminal.NewTable(terminal.Plain, "failed", "seed", "attempts", "last error");
            foreach (var trial in status.Failed)
                table.AddRow(Markup.Escape(Cell(trial.Cell)), Number(trial.Seed), Number(trial.Attempts), Markup.Escape(trial.LastError ?? "-"));
            terminal.Write(table);
        }
    }

    private static void RunningTable(Terminal terminal, IReadOnlyList<RunningTrial> running)
    {
        var table = Terminal.NewTable(terminal.Plain, "running", "seed", "worker", "host", "attempt", "for", "lease");
        foreach (var trial in running)
        {
            table.AddRow(Markup.Escape(Cell(trial.Cell)), Number(trial.Seed), Markup.Escape(trial.Worker), Markup.Escape(trial.Host), Number(trial.Attempt),
                double.IsFinite(trial.Seconds) ? Span(TimeSpan.FromSeconds(trial.Seconds)) : "-",
                trial.LeaseLapsedSeconds is { } lapsed ? $"lapsed {Span(TimeSpan.FromSeconds(lapsed))} ago" : "held");
        }

        terminal.Write(table);
    }

    private static void Json(Utf8JsonWriter w, SweepQueueStatus status)
    {
        w.WriteString("name", status.Name);
        w.WriteStartObject("trials");
        int total = 0;
        foreach (var state in Enum.GetValues<TrialState>())
        {
            w.WriteNumber(RunStore.StateName(state), status.Count(state));
            total += status.Count(state);
        }

        w.WriteNumber("total", total);
        w.WriteEndObject();
        w.WriteStartArray("running");
        foreach (var trial in status.Running)
        {
            w.WriteStartObject();
            w.WriteString("trial_key", trial.Key);
            w.WriteString("cell", trial.Cell);
            w.WriteNumber("seed", trial.Seed);
            w.WriteString("worker", trial.Worker);
            w.WriteString("host", trial.Host);
            w.WriteNumber("attempt", trial.Attempt);
            JsonNumbers.Write(w, "seconds", Math.Round(trial.Seconds, 3));
            JsonNumbers.Write(w, "lease_lapsed_seconds", Round(trial.LeaseLapsedSeconds));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("failed");
        foreach (var trial in status.Failed)
        {
            w.WriteStartObject();
            w.WriteString("trial_key", trial.Key);
            w.WriteString("cell", trial.Cell);
            w.WriteNumber("seed", trial.Seed);
            w.WriteNumber("attempts", trial.Attempts);
            w.WriteString("last_error", trial.LastError);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("trials_per_minute", Math.Round(status.TrialsPerMinute, 3));
        w.WriteNumber("workers_alive", status.WorkersAlive);
        JsonNumbers.Write(w, "eta_seconds", Round(status.EtaSeconds));
    }


    private static double? Round(double? seconds) => seconds is { } s ? Math.Round(s, 3) : null;

    private static string Span(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:00}m")
        : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m{span.Seconds:00}s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0}s");

    private static string Cell(string cell) => cell.Length == 0 ? "(all)" : cell;

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
