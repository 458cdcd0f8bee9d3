using System.CommandLine;
using System.Globalization;
using Gradscope.Cli.Output;
using Gradscope.Lab.Store;
using Spectre.Console;

namespace Gradscope.Cli.Commands.Runs;

/// <summary><c>gradscope runs list</c>: the stored runs, filtered and sorted, as a table or a JSON array.</summary>
internal static class RunsListCommand
{
    public static Command Create(CliContext context)
    {
        var store = StoreOptions.StorePath();
        var name = new Option<string?>("--name") { Description = "Only runs whose name contains this text (any case)." };
        var tag = new Option<string[]>("--tag") { Description = "Only runs with this tag; repeat to require several." };
        var status = new Option<string?>("--status") { Description = "Only runs with this status: queued, running, completed, failed, interrupted, diverged." };
        var data = new Option<string?>("--data") { Description = "Only runs whose data name or path contains this text." };
        var activation = new Option<string?>("--activation") { Description = "Only runs whose hidden activation is this one (sigmoid, relu, ...)." };
        var since = new Option<string?>("--since") { Description = "Only runs started on or after this date (YYYY-MM-DD, UTC, or an ISO-8601 time)." };
        var until = new Option<string?>("--until") { Description = "Only runs started before the end of this date (YYYY-MM-DD, UTC, or an ISO-8601 time)." };
        var sort = new Option<string>("--sort") { Description = "Order: started (newest first), name, status, loss or steps.", DefaultValueFactory = _ => "started" };
        var json = CommonOptions.Json();
        var command = new Command("list",
            "List the recorded runs.\n\nExamples:\n  gradscope runs list\n  gradscope runs list --tag baseline --status completed --sort loss\n  gradscope runs list --since 2025-01-01 --json")
        {
            store, name, tag, status, data, activation, since, until, sort, json,
        };
        command.SetAction(parsed =>
        {
            var filter = new RunFilter(parsed.GetValue(name), parsed.GetValue(tag) ?? [], ParseStatus(parsed.GetValue(status)), parsed.GetValue(data),
                parsed.GetValue(activation), ParseDate(parsed.GetValue(since), "--since", false), ParseDate(parsed.GetValue(until), "--until", true));
            string order = ParseSort(parsed.GetValue(sort)!);
            using var opened = RunIds.Open(parsed.GetValue(store));
            var runs = opened.List().Where(filter.Matches).ToList();
            Sort(runs, order);
            if (parsed.GetValue(json))
                RunsJson.WriteArray(context.Out, runs);
            else
                Table(context.CreateTerminal(), runs, opened.Path);
            return CliApp.Success;
        });
        return command;
    }

    private static void Table(Terminal terminal, List<RunSummary> runs, string path)
    {
        if (runs.Count == 0)
        {
            terminal.Text($"no runs in {path} match");
            return;
        }

        var table = Terminal.NewTable(terminal.Plain, "id", "name", "kind", "status", "steps", "data", "activation", "started (UTC)", "loss", "train acc", "test acc", "tags");
        foreach (var summary in runs)
        {
            var run = summary.Record;
            table.AddRow(run.Id, Markup.Escape(run.Name ?? "-"), run.Kind, RunsText.Status(run.Status, terminal.Plain), summary.Steps.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(run.Data?.Name ?? "-"), Markup.Escape(run.Trace.Activation), run.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Format.Fixed(run.Final.Loss), Format.Percent(run.Final.TrainAccuracy), Format.Percent(run.Final.TestAccuracy), Markup.Escape(string.Join(", ", run.Tags)));
        }

        terminal.Write(table);
        terminal.Text($"{runs.Count} run{(runs.Count == 1 ? string.Empty : "s")} in {path}");
    }

    private static void Sort(List<RunSummary> runs, string order)
    {
        Comparison<RunSummary> compare = order switch
        {
            "name" => (a, b) => string.CompareOrdinal(a.Record.Name ?? "\uffff", b.Record.Name ?? "\uffff"),
            "status" => (a, b) => a.Record.Status.CompareTo(b.Record.Status),
            "loss" => (a, b) => NanLast(a.Record.Final.Loss).CompareTo(NanLast(b.Record.Final.Loss)),
            "steps" => (a, b) => b.Steps.CompareTo(a.Steps),
            _ => (a, b) => b.Record.Started.CompareTo(a.Record.Started),
        };
        // Ties keep the store's order (newest first): a stable sort over indices.
        var order2 = runs.Select((run, index) => (run, index)).ToList();
        order2.Sort((x, y) => compare(x.run, y.run) is var c && c != 0 ? c : x.index.CompareTo(y.index));
        for (int i = 0; i < runs.Count; i++)
            runs[i] = order2[i].run;
    }

    private static double NanLast(double value) => double.IsNaN(value) ? double.PositiveInfinity : value;

    private static string ParseSort(string text) => text.Trim().ToLowerInvariant() switch
    {
        "started" or "name" or "status" or "loss" or "steps" => text.Trim().ToLowerInvariant(),
        _ => throw new UsageException($"Unknown --sort '{text}'. Use started, name, status, loss or steps."),
    };

    private static Lab.Runs.RunStatus? ParseStatus(string? text)
    {
        if (text is null)
            return null;
        if (Enum.TryParse<Lab.Runs.RunStatus>(text.Trim(), ignoreCase: true, out var status) && !int.TryParse(text, out _))
            return status;
        throw new UsageException($"Unknown --status '{text}'. Use queued, running, completed, failed, interrupted or diverged.");
    }

    private static DateTimeOffset? ParseDate(string? text, string option, bool endOfDay)
    {
        if (text is null)
            return null;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(endOfDay ? 1 : 0);
        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time;
        throw new UsageException($"{option} '{text}' is not a date: use YYYY-MM-DD (UTC) or an ISO-8601 time such as 2025-01-31T12:00:00Z.");
    }

    private sealed record RunFilter(string? Name, string[] Tags, Lab.Runs.RunStatus? Status, string? Data, string? Activation, DateTimeOffset? Since, DateTimeOffset? Until)
    {
        public bool Matches(RunSummary summary)
        {
            var run = summary.Record;
            return (Name is null || (run.Name ?? string.Empty).Contains(Name, StringComparison.OrdinalIgnoreCase))
                && Tags.All(run.Tags.Contains)
                && (Status is null || run.Status == Status)
                && (Data is null || (run.Data?.Name ?? string.Empty).Contains(Data, StringComparison.OrdinalIgnoreCase) || (run.Data?.Path ?? string.Empty).Contains(Data, StringComparison.OrdinalIgnoreCase))
                && (Activation is null || string.Equals(run.Trace.Activation, Activation.Trim(), StringComparison.OrdinalIgnoreCase))
                && (Since is null || run.Started >= Since)
                && (Until is null || run.Started < Until);
        }
    }
}
