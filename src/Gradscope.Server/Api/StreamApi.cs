using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Server.Hosting;
using Microsoft.Extensions.Hosting;

namespace Gradscope.Server.Api;

/// <summary>
/// <c>GET /api/runs/{id}/stream</c>: Server-Sent Events for a run as it trains. The server polls
/// the store (not an in-process event), so a run recorded by any process, a <c>gradscope train</c>
/// in a terminal included, streams the same way: <c>event: step</c> with the trace v2 step object
/// for each new step, <c>event: end</c> with the final status once the run ends, and a comment
/// every 15 s so proxies keep the connection.
/// </summary>
internal static class StreamApi
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    // Rows sent per poll at most, so a replay of a long run goes out in slices.
    private const int BatchRows = 500;

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/runs/{id}/stream", Stream).WithName("StreamRun")
            .WithSummary("Server-Sent Events: 'step' (trace v2 step object) for each step recorded after connecting (?from=S replays from step S), then 'end'")
            .Produces(200, contentType: "text/event-stream").ProducesProblem(400).ProducesProblem(404);

    private static async Task Stream(string id, HttpContext http, DashboardState state, IHostApplicationLifetime lifetime)
    {
        var summary = state.Store.Resolve(id);
        string runId = summary.Record.Id;
        int layers = summary.Record.Trace.LayerCount;
        long? from = QueryNumbers.OptionalLong(http.Request.Query, "from");
        using var connection = state.Store.OpenReader();
        // Where to start is fixed before the client sees the response: every step after that is sent.
        long next = from is { } f ? FirstIndexAt(connection, runId, f) : NextIndex(connection, runId);
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        // A stream ends when the client goes or the server stops (it would otherwise hold shutdown up).
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var token = linked.Token;
        await response.Body.FlushAsync(token).ConfigureAwait(false);
        var sinceBeat = Stopwatch.StartNew();
        while (!token.IsCancellationRequested)
        {
            var ended = state.Store.Use(store => store.Find(runId));
            // Read after the status: a run that just ended has flushed its last steps before saying so.
            int sent;
            do
            {
                (sent, next) = await SendSteps(connection, runId, layers, next, response, token).ConfigureAwait(false);
            }
            while (sent == BatchRows);
            if (ended is null || !IsLive(ended.Record.Status))
            {
                await SendEnd(response, ended, token).ConfigureAwait(false);
                return;
            }

            if (sinceBeat.Elapsed >= HeartbeatInterval)
            {
                await Write(response, ": heartbeat\n\n", token).ConfigureAwait(false);
                sinceBeat.Restart();
            }

            try
            {
                await Task.Delay(PollInterval, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static bool IsLive(RunStatus status) => status is RunStatus.Running or RunStatus.Queued;

    private static async Task<(int Sent, long Next)> SendSteps(DbConnection connection, string runId, int layers, long next, HttpResponse response, CancellationToken token)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT idx, step, loss, learning_rate, wall_seconds, stats FROM steps WHERE run_id = @id AND idx >= @next ORDER BY idx LIMIT {BatchRows}";
        RunStore.AddParameter(command, "@id", runId);
        RunStore.AddParameter(command, "@next", next);
        var text = new StringBuilder();
        int sent = 0;
        var values = new double[LayerStatNames.Count * layers];
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var blob = (byte[])reader.GetValue(5);
                Array.Fill(values, double.NaN);
                int doubles = Math.Min(values.Length, blob.Length / sizeof(double));
                for (int i = 0; i < doubles; i++)
                    values[i] = BitConverter.ToDouble(blob, i * sizeof(double));
                long step = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
                byte[] json = JsonResult.Bytes(w => WriteStep(w, step, RunStore.Real(reader, 2), RunStore.Real(reader, 3), RunStore.Real(reader, 4), values, layers));
                text.Append("event: step\ndata: ").Append(Encoding.UTF8.GetString(json)).Append("\n\n");
                next = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture) + 1;
                sent++;
            }
        }

        if (sent > 0)
            await Write(response, text.ToString(), token).ConfigureAwait(false);
        return (sent, next);
    }

    // The trace v2 "step" object (docs/schemas/trace.v2.schema.json).
    private static void WriteStep(Utf8JsonWriter w, long step, double loss, double rate, double wall, double[] values, int layers)
    {
        w.WriteStartObject();
        w.WriteString("type", "step");
        w.WriteNumber("step", step);
        JsonNumbers.Write(w, "loss", loss);
        JsonNumbers.Write(w, "learning_rate", rate);
        JsonNumbers.Write(w, "wall_seconds", wall);
        for (int s = 0; s < LayerStatNames.Count; s++)
        {
            w.WriteStartArray(LayerStatNames.Of((LayerStat)s));
            for (int l = 0; l < layers; l++)
                JsonNumbers.WriteValue(w, values[(s * layers) + l]);
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static async Task SendEnd(HttpResponse response, RunSummary? summary, CancellationToken token)
    {
        byte[] json = JsonResult.Bytes(w =>
        {
            w.WriteStartObject();
            if (summary is null)
            {
                w.WriteString("status", "deleted");
                w.WriteEndObject();
                return;
            }

            var run = summary.Record;
            w.WriteString("id", run.Id);
            w.WriteString("status", RunStore.StatusName(run.Status));
            w.WriteNumber("steps", summary.Steps);
            JsonNumbers.Write(w, "loss", run.Final.Loss);
            JsonNumbers.Write(w, "train_accuracy", run.Final.TrainAccuracy);
            JsonNumbers.Write(w, "test_accuracy", run.Final.TestAccuracy);
            w.WriteString("ended", run.Ended is { } ended ? RunStore.Timestamp(ended) : null);
            w.WriteString("error", run.Error);
            w.WriteEndObject();
        });
        await Write(response, "event: end\ndata: " + Encoding.UTF8.GetString(json) + "\n\n", token).ConfigureAwait(false);
    }

    private static async Task Write(HttpResponse response, string text, CancellationToken token)
    {
        await response.WriteAsync(text, token).ConfigureAwait(false);
        await response.Body.FlushAsync(token).ConfigureAwait(false);
    }

    private static long NextIndex(DbConnection connection, string runId) => Scalar(connection, "SELECT coalesce(max(idx) + 1, 0) FROM steps WHERE run_id = @id", runId, 0);

    private static long FirstIndexAt(DbConnection connection, string runId, long step) =>
        Scalar(connection, "SELECT coalesce(min(idx), (SELECT coalesce(max(idx) + 1, 0) FROM steps WHERE run_id = @id)) FROM steps WHERE run_id = @id AND step >= @step", runId, step);

    // PostgreSQL answers integer (int) for idx arithmetic, SQLite a long: both convert.
    private static long Scalar(DbConnection connection, string sql, string runId, long step)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        RunStore.AddParameter(command, "@id", runId);
        if (sql.Contains("@step", StringComparison.Ordinal))
            RunStore.AddParameter(command, "@step", step);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
