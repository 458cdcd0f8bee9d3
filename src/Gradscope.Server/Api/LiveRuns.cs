using System.Text.Json;
using Gradscope.Lab.Store;
using Gradscope.Server.Hosting;

namespace Gradscope.Server.Api;

/// <summary>
/// A run's object as the API answers it: the stored summary, with the live status of a run this
/// server's host trains (only the host knows a run is paused: the store says running). One run's
/// object (<c>GET /api/runs/{id}</c>) adds <c>hosted</c> (whether this server can pause, resume,
/// step or stop it); the list keeps the members of <c>runs list --json</c>.
/// </summary>
internal static class LiveRuns
{
    /// <summary>The status to show: the host's for a run it trains, else the stored one.</summary>
    public static string Status(DashboardState state, RunSummary summary) =>
        state.Host?.State(summary.Record.Id)?.Status ?? RunStore.StatusName(summary.Record.Status);

    public static void WriteMembers(Utf8JsonWriter w, RunSummary summary, DashboardState state)
    {
        var live = state.Host?.State(summary.Record.Id);
        RunsJson.WriteSummary(w, summary, live?.Status);
        w.WriteBoolean("hosted", live is not null);
    }

    public static void WriteArray(Utf8JsonWriter w, IReadOnlyList<RunSummary> runs, DashboardState state)
    {
        w.WriteStartArray();
        foreach (var run in runs)
        {
            w.WriteStartObject();
            RunsJson.WriteSummary(w, run, state.Host?.State(run.Record.Id)?.Status);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
