using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Store;
using Gradscope.Server.Hosting;

namespace Gradscope.Server.Api;

/// <summary>
/// <c>GET /api/runs/{id}/histograms</c>: without <c>step</c>, the steps that have histograms;
/// with it, every layer's gradient and activation histogram at the nearest such step.
/// </summary>
internal static class HistogramsApi
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/runs/{id}/histograms", Get).WithName("GetRunHistograms")
            .WithSummary("Histogram steps ({steps}), or with ?step=S the layers' gradient and activation histograms at the recorded step nearest S")
            .Produces<JsonElement>(200, "application/json").ProducesProblem(400).ProducesProblem(404);

    private static IResult Get(string id, HttpContext http, DashboardState state)
    {
        var summary = state.Store.Resolve(id);
        long? wanted = QueryNumbers.OptionalLong(http.Request.Query, "step");
        using var connection = state.Store.OpenReader();
        // Histograms are keyed by the recorded step's index; the steps table maps it to the training step.
        var steps = HistogramSteps(connection, summary.Record.Id);
        if (wanted is null)
            return new JsonResult(w => WriteSteps(w, steps));
        if (steps.Count == 0)
            throw ApiProblem.NotFound($"run '{summary.Record.Id}' recorded no histograms.");
        var nearest = steps.MinBy(s => Math.Abs(s.Step - wanted.Value));
        var rows = Read(connection, summary.Record.Id, nearest.Index);
        var trace = summary.Record.Trace;
        return new JsonResult(w => WriteAt(w, nearest.Step, rows, trace.LayerNames, trace.Activation));
    }

    private static void WriteSteps(Utf8JsonWriter w, List<(long Index, long Step)> steps)
    {
        w.WriteStartObject();
        w.WriteStartArray("steps");
        foreach (var (_, step) in steps)
            w.WriteNumberValue(step);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteAt(Utf8JsonWriter w, long step, SortedDictionary<int, (int[]? Gradient, int[]? Activation)> rows, IReadOnlyList<string> names, string activation)
    {
        var (low, high) = Histograms.ActivationRange(activation);
        w.WriteStartObject();
        w.WriteNumber("step", step);
        w.WriteStartArray("layers");
        foreach (var (layer, (gradient, act)) in rows)
        {
            w.WriteStartObject();
            var reference = LayerRef.At(names, layer);
            w.WriteNumber("layer", reference.Number);
            w.WriteString("name", reference.Name);
            w.WriteStartObject("gradient");
            w.WriteNumber("min_decade", Histograms.MinDecade);
            Counts(w, gradient);
            w.WriteEndObject();
            w.WriteStartObject("activation");
            w.WriteNumber("low", low);
            w.WriteNumber("high", high);
            Counts(w, act);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Counts(Utf8JsonWriter w, int[]? counts)
    {
        if (counts is null)
        {
            w.WriteNull("counts");
            return;
        }

        w.WriteStartArray("counts");
        foreach (int c in counts)
            w.WriteNumberValue(c);
        w.WriteEndArray();
    }

    private static List<(long Index, long Step)> HistogramSteps(DbConnection connection, string id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT DISTINCT h.idx, coalesce(s.step, h.idx) FROM histograms h
            LEFT JOIN steps s ON s.run_id = h.run_id AND s.idx = h.idx
            WHERE h.run_id = @id ORDER BY h.idx
            """;
        RunStore.AddParameter(command, "@id", id);
        using var reader = command.ExecuteReader();
        var steps = new List<(long, long)>();
        while (reader.Read())
            steps.Add((Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)));
        return steps;
    }

    private static SortedDictionary<int, (int[]? Gradient, int[]? Activation)> Read(DbConnection connection, string id, long index)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT layer, kind, counts FROM histograms WHERE run_id = @id AND idx = @idx";
        RunStore.AddParameter(command, "@id", id);
        // idx is an integer column: a bigint parameter would still compare, but an int matches it exactly.
        RunStore.AddParameter(command, "@idx", checked((int)index));
        using var reader = command.ExecuteReader();
        var rows = new SortedDictionary<int, (int[]?, int[]?)>();
        while (reader.Read())
        {
            var bytes = (byte[])reader.GetValue(2);
            var counts = new int[bytes.Length / sizeof(int)];
            for (int i = 0; i < counts.Length; i++)
                counts[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * sizeof(int)));
            int layer = RunStore.Int(reader, 0);
            var (gradient, activation) = rows.GetValueOrDefault(layer);
            rows[layer] = reader.GetString(1) == "gradient" ? (counts, activation) : (gradient, counts);
        }

        return rows;
    }
}
