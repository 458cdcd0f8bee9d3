using System.Text.Json;
using Gradscope.Lab.Live;
using Gradscope.Lab.Runs;
using Gradscope.Server.Hosting;

namespace Gradscope.Server.Api;

/// <summary>The model views of a 2-D run, computed by the run host: decision boundary, squashing, layer sensitivity (404 when the run has none).</summary>
internal static class ViewsApi
{
    public const int MinGrid = 4;
    public const int MaxGrid = 200;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/runs/{id}/boundary", Boundary).WithName("GetDecisionBoundary")
            .WithSummary("Class probabilities over the input plane of a 2-D run: ?grid=N (4..200, default 50)")
            .Produces<JsonElement>(200, "application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(503);
        api.MapGet("/runs/{id}/squashing", Squashing).WithName("GetSquashingView")
            .WithSummary("The input grid's image after each layer (first two principal directions): ?grid=N (4..200, default 20)")
            .Produces<JsonElement>(200, "application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(503);
        api.MapGet("/runs/{id}/sensitivity", Sensitivity).WithName("GetLayerSensitivity")
            .WithSummary("Output movement when a layer's weights are perturbed: ?layer=K&epsilon=E (default 0.01)")
            .Produces<JsonElement>(200, "application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(503);
    }

    private static IResult Boundary(string id, HttpContext http, DashboardState state)
    {
        var (host, runId) = Resolve(id, state);
        int grid = QueryNumbers.Int(http.Request.Query, "grid", 50, MinGrid, MaxGrid);
        var boundary = Guard(() => host.Boundary(runId, grid)) ?? throw NoView(runId, "decision boundary");
        return new JsonResult(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("grid", boundary.Grid);
            JsonNumbers.Write(w, "x_min", boundary.XMin);
            JsonNumbers.Write(w, "x_max", boundary.XMax);
            JsonNumbers.Write(w, "y_min", boundary.YMin);
            JsonNumbers.Write(w, "y_max", boundary.YMax);
            w.WriteNumber("classes", boundary.Classes);
            w.WriteNumber("step", boundary.Step);
            Rows(w, "probabilities", boundary.Probabilities);
            Rows(w, "points", boundary.Points);
            w.WriteStartArray("labels");
            foreach (int label in boundary.Labels)
                w.WriteNumberValue(label);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static IResult Squashing(string id, HttpContext http, DashboardState state)
    {
        var (host, runId) = Resolve(id, state);
        int grid = QueryNumbers.Int(http.Request.Query, "grid", 20, MinGrid, MaxGrid);
        var view = Guard(() => host.Squashing(runId, grid)) ?? throw NoView(runId, "squashing view");
        return new JsonResult(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("grid", view.Grid);
            w.WriteNumber("step", view.Step);
            w.WriteStartArray("layers");
            foreach (var layer in view.Layers)
            {
                w.WriteStartObject();
                w.WriteNumber("layer", layer.Layer);
                w.WriteString("name", layer.Name);
                w.WriteString("activation", layer.Activation);
                JsonNumbers.Write(w, "spread", layer.Spread);
                Rows(w, "points", layer.Points);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static IResult Sensitivity(string id, HttpContext http, DashboardState state)
    {
        var (host, runId) = Resolve(id, state);
        int layer = QueryNumbers.Int(http.Request.Query, "layer", 1, 1, int.MaxValue);
        double epsilon = QueryNumbers.Real(http.Request.Query, "epsilon", 0.01, 1e-9, 10);
        var result = Guard(() => host.Sensitivity(runId, layer, epsilon)) ?? throw NoView(runId, "sensitivity measurement");
        return new JsonResult(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("layer", result.Layer);
            JsonNumbers.Write(w, "epsilon", result.Epsilon);
            JsonNumbers.Write(w, "output_change", result.OutputChange);
            w.WriteStartArray("by_layer");
            foreach (double v in result.ByLayer)
                JsonNumbers.WriteValue(w, v);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static (IRunHost Host, string RunId) Resolve(string id, DashboardState state)
    {
        string runId = state.Store.Resolve(id).Record.Id;
        return (state.RequireHost(), runId);
    }

    private static T? Guard<T>(Func<T?> compute)
    {
        try
        {
            return compute();
        }
        catch (GradscopeException ex)
        {
            throw ApiProblem.BadRequest(ex.Message);
        }
    }

    private static ApiProblem NoView(string runId, string what) =>
        ApiProblem.NotFound($"run '{runId}' has no {what}: its data is not 2-D or no model is available.");

    private static void Rows(Utf8JsonWriter w, string name, IReadOnlyList<double[]> rows)
    {
        w.WriteStartArray(name);
        foreach (var row in rows)
        {
            w.WriteStartArray();
            foreach (double v in row)
                JsonNumbers.WriteValue(w, v);
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }
}
