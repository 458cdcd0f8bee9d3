using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.TestSupport;

namespace Gradscope.Server.Tests;

/// <summary>The dashboard over a PostgreSQL store answers as it does over SQLite for the same runs.</summary>
[Trait("Category", "Postgres")]
public sealed class PostgresStoreTests
{
    [PostgresFact]
    public async Task Api_SameRunsOnPostgresAndSqlite_GiveTheSameAnswers()
    {
        string sqlite = TestRuns.TempStore();
        using var database = PostgresDatabase.Create();
        var record = TestRuns.Record(TestRuns.Trace(layers: 3, steps: 40, histogramsEvery: 10), RunStatus.Completed, "pg", "a");
        foreach (string store in (string[])[sqlite, database.Url])
        {
            using var opened = RunStore.Open(store);
            opened.Save(record);
        }

        await using var onSqlite = await ServerHarness.Start(sqlite);
        await using var onPostgres = await ServerHarness.Start(database.Url);
        string id = record.Id;
        foreach (string path in (string[])["/api/runs", $"/api/runs/{id}", $"/api/runs/{id}/steps?max_points=10", $"/api/runs/{id}/steps?from=5&to=20&stats=grad_rms",
                     $"/api/runs/{id}/histograms", $"/api/runs/{id}/histograms?step=10"])
        {
            var expected = await onSqlite.GetJson(path);
            var actual = await onPostgres.GetJson(path);
            Assert.True(JsonSerializer.Serialize(expected) == JsonSerializer.Serialize(actual), $"{path} differs:\nSQLite:     {expected}\nPostgreSQL: {actual}");
        }

        var info = await onPostgres.GetJson("/api/info");
        Assert.Equal(StoreLocation.Parse(database.Url).Display, info.GetProperty("store").GetString());
    }

    [PostgresFact]
    public async Task Stream_StepsRecordedOnAnotherConnection_ArriveThenEnd()
    {
        using var database = PostgresDatabase.Create();
        var trace = TestRuns.Trace(layers: 3, steps: 0);
        var record = TestRuns.Record(trace, RunStatus.Running);
        using var recorder = RunRecorder<double>.Start(database.Url, record, _ => { });
        await using var harness = await ServerHarness.Start(database.Url);
        using var response = await harness.Client.GetAsync($"/api/runs/{record.Id}/stream", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);

        var values = new double[LayerStatNames.Count * 3];
        for (int s = 0; s < 5; s++)
        {
            values.AsSpan().Fill(s + 0.25);
            trace.AppendStep(s, s == 3 ? double.NaN : 1.0 / (s + 1), 0.1, s, values);
            recorder.OnStepEnd(null!, default);
        }

        recorder.Complete(new RunEnd(RunStatus.Completed, DateTimeOffset.UtcNow, new RunMetrics(0.2, 0.8, double.NaN), []));
        var events = await StreamTests.ReadEvents(reader, TimeSpan.FromSeconds(20));

        var steps = events.Where(e => e.Name == "step").Select(e => e.Data).ToList();
        Assert.Equal([0, 1, 2, 3, 4], steps.Select(s => s.GetProperty("step").GetInt32()));
        Assert.Equal(JsonValueKind.Null, steps[3].GetProperty("loss").ValueKind);
        Assert.Equal(2.25, steps[2].GetProperty("grad_norm")[0].GetDouble());
        var end = Assert.Single(events, e => e.Name == "end").Data;
        Assert.Equal("completed", end.GetProperty("status").GetString());
        Assert.Equal(5, end.GetProperty("steps").GetInt32());
    }
}
