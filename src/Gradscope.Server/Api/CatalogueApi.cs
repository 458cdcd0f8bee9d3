using System.Text.Json;
using Gradscope.Data.Catalog;
using Gradscope.Lab.Store;
using Gradscope.Server.Hosting;

namespace Gradscope.Server.Api;

/// <summary><c>GET /api/info</c>, <c>/api/datasets</c> and <c>/api/remedies</c>: what the pages offer before any run exists.</summary>
internal static class CatalogueApi
{
    private static readonly string[] PlaygroundSets = ["spiral", "moons", "circles", "xor", "checkerboard", "digits"];

    // Generated once: the sets are small and deterministic.
    private static readonly Lazy<(string Name, int Dimensions, int Classes)[]> Sets = new(() =>
        PlaygroundSets.Select(name =>
        {
            var set = DatasetCatalog.Load(name);
            return (name, set.FeatureCount, set.ClassCount);
        }).ToArray());

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/info", Info).WithName("GetInfo").WithSummary("Server version, store, whether it is bound to loopback, whether a token is required, run capacity and active runs")
            .Produces<JsonElement>(200, "application/json");
        api.MapGet("/datasets", Datasets).WithName("ListDatasets").WithSummary("The playground's data sets: [{name, dimensions, classes}]")
            .Produces<JsonElement>(200, "application/json");
        api.MapGet("/remedies", RemedyList).WithName("ListRemedies").WithSummary("The remedies a run can be re-started with: [{id, title}]")
            .Produces<JsonElement>(200, "application/json");
    }

    private static IResult Info(DashboardState state) => new JsonResult(w =>
    {
        w.WriteStartObject();
        w.WriteString("version", RunStore.GradscopeVersion);
        w.WriteString("store", state.Store.Display);
        w.WriteBoolean("loopback", state.Options.Loopback);
        w.WriteBoolean("token_required", !state.Options.Loopback);
        w.WriteNumber("capacity", state.Host?.Capacity ?? 0);
        w.WriteNumber("active", state.Host?.Active ?? 0);
        w.WriteBoolean("can_start_runs", state.Host is { } host && host.Active < host.Capacity);
        w.WriteEndObject();
    });

    private static IResult Datasets() => new JsonResult(w =>
    {
        w.WriteStartArray();
        foreach (var (name, dimensions, classes) in Sets.Value)
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteNumber("dimensions", dimensions);
            w.WriteNumber("classes", classes);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    private static IResult RemedyList() => new JsonResult(w =>
    {
        w.WriteStartArray();
        foreach (var remedy in Diagnostics.Remedies.All)
        {
            w.WriteStartObject();
            w.WriteString("id", remedy.Id);
            w.WriteString("title", remedy.Title);
            w.WriteString("why", remedy.Why);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });
}
