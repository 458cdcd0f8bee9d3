using System.Text.Json;
using Gradscope.Lab.Store;
using Gradscope.Lab.Sweeps;
using Gradscope.Server.Hosting;

namespace Gradscope.Server.Api;

/// <summary><c>GET /api/sweeps</c> (as <c>sweep list --json</c>) and <c>GET /api/sweeps/{name}</c> (as <c>sweep show --json</c>, each cell with its run ids).</summary>
internal static class SweepsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/sweeps", List).WithName("ListSweeps").WithSummary("The stored sweeps with their trials by state (as 'gradscope sweep list --json')")
            .Produces<JsonElement>(200, "application/json");
        api.MapGet("/sweeps/{name}", Show).WithName("GetSweep").WithSummary("One sweep's cells with their measures and run ids (as 'gradscope sweep show --json')")
            .Produces<JsonElement>(200, "application/json").ProducesProblem(404);
    }

    private static IResult List(DashboardState state)
    {
        var sweeps = state.Store.Use(store => store.ListSweeps());
        return new JsonResult(w =>
        {
            w.WriteStartObject();
            SweepJson.WriteList(w, sweeps);
            w.WriteEndObject();
        });
    }

    private static IResult Show(string name, DashboardState state)
    {
        var (summary, trials) = state.Store.Use(store =>
        {
            if (store.FindSweep(name) is null)
                throw ApiProblem.NotFound($"no sweep '{name}' in the store (see GET /api/sweeps).");
            return (SweepSummaries.Of(store, name), store.Trials(name));
        });
        return new JsonResult(w => Write(w, summary, trials));
    }

    private static void Write(Utf8JsonWriter w, SweepSummary summary, IReadOnlyList<StoredTrial> trials)
    {
        w.WriteStartObject();
        SweepJson.WriteSummary(w, summary, trials);
        w.WriteEndObject();
    }
}
