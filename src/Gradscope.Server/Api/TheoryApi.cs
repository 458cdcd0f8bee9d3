using System.Collections.Concurrent;
using System.Text.Json;
using Gradscope.Activations;
using Gradscope.Lab.Runs;
using Gradscope.Theory;

namespace Gradscope.Server.Api;

/// <summary><c>GET /api/theory</c> and <c>/api/theory/phase-diagram</c>: the mean-field quantities and the (sigma_w^2, sigma_b^2) plane, as <c>gradscope theory</c> computes them.</summary>
internal static class TheoryApi
{
    public const int MinGrid = 4;
    public const int MaxGrid = 60;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/theory", Analyze).WithName("GetTheory")
            .WithSummary("Mean-field prediction (as 'gradscope theory --json'): ?activation=tanh&weight_var=&bias_var=0&depth=50; weight_var defaults to the critical value")
            .Produces<JsonElement>(200, "application/json").ProducesProblem(400);
        api.MapGet("/theory/phase-diagram", Diagram).WithName("GetPhaseDiagram")
            .WithSummary("chi_1, xi_c and depth scale over a sigma_w^2 x sigma_b^2 lattice, and the critical line: ?activation=tanh&grid=N (4..60, default 36)")
            .Produces<JsonElement>(200, "application/json").ProducesProblem(400);
    }

    private static IResult Analyze(HttpContext http)
    {
        var query = http.Request.Query;
        var activation = ParseActivation(query["activation"].ToString());
        double bias = QueryNumbers.Real(query, "bias_var", 0, 0, 100);
        double? critical = MeanField.CriticalWeightVariance(activation, bias);
        double weight = QueryNumbers.Real(query, "weight_var", critical ?? 1, 1e-6, 100);
        int depth = QueryNumbers.Int(query, "depth", 50, 1, 100_000);
        var p = MeanField.Analyze(activation, weight, bias, depth);
        return new JsonResult(w =>
        {
            w.WriteStartObject();
            MeanFieldJson.Write(w, p, critical);
            w.WriteEndObject();
        });
    }

    private static IResult Diagram(HttpContext http)
    {
        var activation = ParseActivation(http.Request.Query["activation"].ToString());
        int grid = QueryNumbers.Int(http.Request.Query, "grid", 36, MinGrid, MaxGrid);
        var diagram = CachedDiagram(activation, grid);
        return new JsonResult(w =>
        {
            w.WriteStartObject();
            w.WriteString("activation", diagram.Activation);
            Array(w, "weight_vars", diagram.WeightVariances);
            Array(w, "bias_vars", diagram.BiasVariances);
            w.WriteStartArray("cells");
            foreach (var cell in diagram.Cells)
            {
                w.WriteStartObject();
                w.WriteNumber("weight_var", cell.WeightVariance);
                w.WriteNumber("bias_var", cell.BiasVariance);
                JsonNumbers.Write(w, "chi1", cell.Chi1);
                JsonNumbers.Write(w, "xi_c", cell.XiC);
                JsonNumbers.Write(w, "depth_scale", cell.DepthScale);
                w.WriteString("phase", cell.Phase.ToString().ToLowerInvariant());
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("critical_line");
            foreach (var point in diagram.CriticalLine)
            {
                w.WriteStartObject();
                w.WriteNumber("bias_var", point.BiasVariance);
                JsonNumbers.Write(w, "weight_var", point.WeightVariance);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    // A diagram is a pure function of (activation, grid) and takes seconds (tanh: about 10 s on a
    // busy 2-core machine), so each is computed once; Lazy makes concurrent first requests share
    // one computation. Bounded: past MaxDiagrams entries the cache starts over.
    private const int MaxDiagrams = 64;
    private static readonly ConcurrentDictionary<(string Activation, int Grid), Lazy<PhaseDiagram>> Diagrams = new();

    private static PhaseDiagram CachedDiagram(Activation activation, int grid)
    {
        if (Diagrams.Count >= MaxDiagrams)
            Diagrams.Clear();
        var options = new PhaseDiagramOptions { WeightVarianceSteps = grid, BiasVarianceSteps = Math.Max(MinGrid, (grid * 4) / 9), MaxParallelism = 2 };
        var lazy = Diagrams.GetOrAdd((activation.Name, grid), _ => new Lazy<PhaseDiagram>(() => PhaseDiagram.Compute(activation, options)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Diagrams.TryRemove((activation.Name, grid), out _);
            throw;
        }
    }

    private static Activation ParseActivation(string text)
    {
        if (text.Length == 0)
            text = "tanh";
        if (!Activation.TryParse(text, out var activation))
            throw ApiProblem.BadRequest($"activation '{text}' is unknown; use {string.Join(", ", Activation.Names)}.");
        return activation;
    }

    private static void Array(Utf8JsonWriter w, string name, double[] values)
    {
        w.WriteStartArray(name);
        foreach (double v in values)
            JsonNumbers.WriteValue(w, v);
        w.WriteEndArray();
    }
}
