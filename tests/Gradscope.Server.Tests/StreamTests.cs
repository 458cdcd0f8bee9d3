using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;

namespace Gradscope.Server.Tests;

public sealed class StreamTests
{
    [Fact]
    public async Task Stream_StepsWrittenByAnotherConnection_ThenEnd()
    {
        string store = TestRuns.TempStore();
        var trace = TestRuns.Trace(layers: 3, steps: 0);
        var record = TestRuns.Record(trace, RunStatus.Running);
        using var recorder = RunRecorder<double>.Start(store, record, _ => { });
        await using var harness = await ServerHarness.Start(store);
        using var response = await harness.Client.GetAsync($"/api/runs/{record.Id}/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);

        // The recorder writes on its own connection, as another process would.
        var values = new double[LayerStatNames.Count * 3];
        for (int s = 0; s < 4; s++)
        {
            values.AsSpan().Fill(s + 0.5);
            values[0] = s == 2 ? double.NaN : values[0];
            trace.AppendStep(s, 1.0 / (s + 1), 0.1, s, values);
            recorder.OnStepEnd(null!, default);
        }

        recorder.Complete(new RunEnd(RunStatus.Completed, DateTimeOffset.UtcNow, new RunMetrics(0.25, 0.75, double.NaN), []));
        var events = await ReadEvents(reader, TimeSpan.FromSeconds(20));

        var steps = events.Where(e => e.Name == "step").Select(e => e.Data).ToList();
        Assert.Equal([0, 1, 2, 3], steps.Select(s => s.GetProperty("step").GetInt32()));
        Assert.Equal("step", steps[0].GetProperty("type").GetString());
        Assert.Equal(3, steps[1].GetProperty("delta_rms").GetArrayLength());
        Assert.Equal(1.5, steps[1].GetProperty("grad_norm")[0].GetDouble());
        Assert.Equal(JsonValueKind.Null, steps[2].GetProperty("grad_norm")[0].ValueKind);
        var end = Assert.Single(events, e => e.Name == "end").Data;
        Assert.Equal("completed", end.GetProperty("status").GetString());
        Assert.Equal(4, end.GetProperty("steps").GetInt32());
        Assert.Equal("end", events[^1].Name);
    }

    [Fact]
    public async Task Stream_FromReplaysAFinishedRunThenEnds()
    {
        string store = TestRuns.TempStore();
        string id = TestRuns.Save(store, layers: 2, steps: 700);
        await using var harness = await ServerHarness.Start(store);
        using var response = await harness.Client.GetAsync($"/api/runs/{id}/stream?from=650", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var events = await ReadEvents(reader, TimeSpan.FromSeconds(20));

        Assert.Equal(Enumerable.Range(650, 50), events.Where(e => e.Name == "step").Select(e => e.Data.GetProperty("step").GetInt32()));
        Assert.Equal("completed", events[^1].Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Stream_OpenWhileServerStops_DoesNotHoldShutdown()
    {
        string store = TestRuns.TempStore();
        var record = TestRuns.Record(TestRuns.Trace(layers: 2, steps: 0), RunStatus.Running);
        using var recorder = RunRecorder<double>.Start(store, record, _ => { });
        var harness = await ServerHarness.Start(store);
        using var response = await harness.Client.GetAsync($"/api/runs/{record.Id}/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await harness.DisposeAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"stopping took {clock.Elapsed.TotalSeconds:F1} s");
        recorder.Complete(new RunEnd(RunStatus.Interrupted, DateTimeOffset.UtcNow, RunMetrics.None, []));
    }

    internal static async Task<List<(string Name, JsonElement Data)>> ReadEvents(StreamReader reader, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var events = new List<(string, JsonElement)>();
        string? name = null;
        while (await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
                name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var document = JsonDocument.Parse(line["data: ".Length..]);
                events.Add((name!, document.RootElement.Clone()));
                if (name == "end")
                    break;
            }
        }

        return events;
    }
}
