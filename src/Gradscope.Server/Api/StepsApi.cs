using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Gradscope.Lab.Runs;
using Gradscope.Server.Hosting;
using Gradscope.Server.Steps;

namespace Gradscope.Server.Api;

/// <summary><c>GET /api/runs/{id}/steps</c>: per-layer statistics over a step range, downsampled on the server keeping minima and maxima.</summary>
internal static class StepsApi
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/runs/{id}/steps", Get).WithName("GetRunSteps")
            .WithSummary("Per-layer statistics by step: ?from=&to=&layers=1,2,5-9&stats=delta_rms,grad_rms&max_points=N (2..20000)")
            .WithDescription("Downsampled to max_points: each bucket of steps becomes its first and last step holding every series' minimum and maximum over the bucket. Statistics carry 7 significant digits (the store and the exports keep them exact); null for NaN or infinity.")
            .Produces<JsonElement>(200, "application/json").ProducesProblem(400).ProducesProblem(404);

    private static IResult Get(string id, HttpContext http, DashboardState state)
    {
        var summary = state.Store.Resolve(id);
        var names = summary.Record.Trace.LayerNames;
        if (names.Count == 0)
            return new JsonResult(w => Write(w, new StepTable([], 0, 0), [], names, 0, false));
        var selection = StepSelection.Parse(http.Request.Query, names.Count);
        StepSource source;
        using (var connection = state.Store.OpenReader())
            source = StepQuery.Read(state.Store.Steps, connection, summary.Record.Id, names.Count, selection);
        var table = Downsampler.Reduce(source, selection.MaxPoints, out bool downsampled);
        return new JsonResult(w => Write(w, table, selection.Layers, names, source.Count, downsampled));
    }

    private static void Write(Utf8JsonWriter w, StepTable table, int[] layers, IReadOnlyList<string> names, int total, bool downsampled)
    {
        w.WriteStartObject();
        w.WriteStartArray("steps");
        foreach (long step in table.StepNumbers)
            w.WriteNumberValue(step);
        w.WriteEndArray();
        w.WriteStartArray("layers");
        foreach (int layer in layers)
        {
            w.WriteStartObject();
            w.WriteNumber("layer", layer + 1);
            w.WriteString("name", names[layer]);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("stats");
        for (int s = 0; s < table.Stats.Length; s++)
            WriteMatrix(w, StepQuery.Name(table.Stats[s]), table.Values[s], table.Count, table.Width);
        w.WriteEndObject();
        WriteSeries(w, "loss", table.Loss);
        WriteSeries(w, "learning_rate", table.LearningRate);
        w.WriteNumber("total_steps", total);
        w.WriteBoolean("downsampled", downsampled);
        w.WriteEndObject();
    }

    // Statistics go out with 7 significant digits: a 100-layer, 1,000-point answer holds 200,000
    // of them per statistic pair, and formatting each double's shortest round-trip form was most of
    // the request's time (and twice the bytes). Seven digits is more than a chart can show and keeps
    // the double's exponent range (a vanishing gradient of 1e-60 stays 1e-60, where float would be 0).
    // The exact values are in the store and in every export.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteMatrix(Utf8JsonWriter w, string name, double[] values, int rows, int width)
    {
        Span<byte> text = stackalloc byte[32];
        w.WriteStartArray(name);
        for (int r = 0; r < rows; r++)
        {
            w.WriteStartArray();
            for (int j = 0; j < width; j++)
                WriteSevenDigits(w, values[(r * width) + j], text);
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private static void WriteSevenDigits(Utf8JsonWriter w, double value, Span<byte> text)
    {
        if (double.IsFinite(value) && value.TryFormat(text, out int length, "G7", CultureInfo.InvariantCulture))
            w.WriteRawValue(text[..length], skipInputValidation: true);
        else
            JsonNumbers.WriteValue(w, value);
    }

    private static void WriteSeries(Utf8JsonWriter w, string name, List<double> values)
    {
        w.WriteStartArray(name);
        foreach (double v in values)
            JsonNumbers.WriteValue(w, v);
        w.WriteEndArray();
    }
}
