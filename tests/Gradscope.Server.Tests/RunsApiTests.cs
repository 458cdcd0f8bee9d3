using System.Text.Json;
using Gradscope.Lab.Store;

namespace Gradscope.Server.Tests;

public sealed class RunsApiTests
{
    [Fact]
    public async Task Runs_ListsTheSameObjectsAsRunsListJson()
    {
        string store = TestRuns.TempStore();
        string first = TestRuns.Save(store, name: "alpha", tags: ["baseline"]);
        TestRuns.Save(store, name: "beta");
        await using var harness = await ServerHarness.Start(store);

        var runs = await harness.GetJson("/api/runs");

        Assert.Equal(2, runs.GetArrayLength());
        using var opened = RunStore.Open(store);
        var writer = new StringWriter();
        RunsJson.WriteArray(writer, opened.List());
        using var cli = JsonDocument.Parse(writer.ToString());
        Assert.Equal(Normalize(cli.RootElement), Normalize(runs));
        var filtered = await harness.GetJson("/api/runs?tag=baseline&status=completed&name=ALP&limit=5");
        Assert.Equal(first, Assert.Single(filtered.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Runs_BadFilter_Is400Problem()
    {
        await using var harness = await ServerHarness.Start();
        using var status = await harness.Client.GetAsync("/api/runs?status=sleeping");
        var problem = await ServerHarness.Problem(status, 400);
        Assert.Contains("sleeping", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var limit = await harness.Client.GetAsync("/api/runs?limit=lots");
        await ServerHarness.Problem(limit, 400);
    }

    [Fact]
    public async Task Run_ByPrefix_HasDescriptionLayersSummaryAndVariances()
    {
        string store = TestRuns.TempStore();
        string id = TestRuns.Save(store, layers: 3, steps: 20);
        await using var harness = await ServerHarness.Start(store);

        var run = await harness.GetJson($"/api/runs/{id[..20].ToLowerInvariant()}");

        Assert.Equal(id, run.GetProperty("run").GetProperty("id").GetString());
        Assert.Equal("gradscope.run", run.GetProperty("spec").GetProperty("format").GetString());
        Assert.Equal(3, run.GetProperty("layers").GetArrayLength());
        Assert.Equal("layers.0", run.GetProperty("layers")[0].GetProperty("name").GetString());
        Assert.Equal(20, run.GetProperty("summary").GetProperty("steps").GetInt32());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("summary").GetProperty("test_accuracy").ValueKind);
        Assert.Equal(JsonValueKind.Array, run.GetProperty("findings").ValueKind);
        Assert.Equal(JsonValueKind.Array, run.GetProperty("epochs").ValueKind);
        Assert.Equal("spiral", run.GetProperty("data").GetProperty("name").GetString());
        Assert.True(run.GetProperty("two_d").GetBoolean());
        Assert.Equal(JsonValueKind.Number, run.GetProperty("weight_var").ValueKind);
    }

    [Theory]
    [InlineData("0000000000000000000000000Z", 404, "no run")]
    [InlineData("01", 400, "ambiguous")]
    [InlineData("not-an-id!", 400, "not a run id")]
    public async Task Run_BadId_IsProblem(string id, int status, string message)
    {
        string store = TestRuns.TempStore();
        // Two runs made in the same millisecond range share the ULID's leading "01".
        TestRuns.Save(store, steps: 2);
        TestRuns.Save(store, steps: 2);
        await using var harness = await ServerHarness.Start(store);

        foreach (string path in new[] { $"/api/runs/{id}", $"/api/runs/{id}/steps", $"/api/runs/{id}/histograms", $"/api/runs/{id}/stream" })
        {
            using var response = await harness.Client.GetAsync(path);
            var problem = await ServerHarness.Problem(response, status);
            Assert.Contains(message, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnknownApiPath_Is404Problem()
    {
        await using var harness = await ServerHarness.Start();
        using var response = await harness.Client.GetAsync("/api/nothing/here");
        await ServerHarness.Problem(response, 404);
    }

    [Fact]
    public async Task Histograms_ListStepsThenNearestStep()
    {
        string store = TestRuns.TempStore();
        string id = TestRuns.Save(store, layers: 2, steps: 30, histogramsEvery: 10);
        await using var harness = await ServerHarness.Start(store);

        var steps = await harness.GetJson($"/api/runs/{id}/histograms");
        Assert.Equal([0, 10, 20], steps.GetProperty("steps").EnumerateArray().Select(s => s.GetInt32()));
        var at = await harness.GetJson($"/api/runs/{id}/histograms?step=12");
        Assert.Equal(10, at.GetProperty("step").GetInt32());
        var layer = at.GetProperty("layers")[1];
        Assert.Equal(2, layer.GetProperty("layer").GetInt32());
        Assert.Equal(11, layer.GetProperty("gradient").GetProperty("counts")[290].GetInt32());
        Assert.Equal(-300, layer.GetProperty("gradient").GetProperty("min_decade").GetInt32());
        Assert.Equal(-1, layer.GetProperty("activation").GetProperty("low").GetDouble());
        Assert.Equal(1, layer.GetProperty("activation").GetProperty("counts")[0].GetInt32());
        using var bad = await harness.Client.GetAsync($"/api/runs/{id}/histograms?step=abc");
        await ServerHarness.Problem(bad, 400);
    }

    private static string Normalize(JsonElement element) => JsonSerializer.Serialize(element);
}
