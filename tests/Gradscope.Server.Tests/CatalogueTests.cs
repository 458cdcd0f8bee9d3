namespace Gradscope.Server.Tests;

public sealed class CatalogueTests
{
    [Fact]
    public async Task InfoDatasetsRemedies_DescribeTheServer()
    {
        await using var harness = await ServerHarness.Start(host: new FakeRunHost { Capacity = 3, Active = 1 });
        var info = await harness.GetJson("/api/info");
        Assert.True(info.GetProperty("loopback").GetBoolean());
        Assert.False(info.GetProperty("token_required").GetBoolean());
        Assert.Equal(3, info.GetProperty("capacity").GetInt32());
        Assert.Equal(1, info.GetProperty("active").GetInt32());
        Assert.EndsWith("gradscope.db", info.GetProperty("store").GetString(), StringComparison.Ordinal);
        var sets = await harness.GetJson("/api/datasets");
        Assert.Equal(["spiral", "moons", "circles", "xor", "checkerboard", "digits"], sets.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(2, sets[0].GetProperty("dimensions").GetInt32());
        Assert.Equal(64, sets[5].GetProperty("dimensions").GetInt32());
        Assert.Equal(10, sets[5].GetProperty("classes").GetInt32());
        var remedies = await harness.GetJson("/api/remedies");
        Assert.Contains(remedies.EnumerateArray(), r => r.GetProperty("id").GetString() == "relu-he" && r.GetProperty("title").GetString()!.Length > 0);
    }

    [Fact]
    public async Task Theory_AnalyzesAndDrawsThePhaseDiagram()
    {
        await using var harness = await ServerHarness.Start();
        var theory = await harness.GetJson("/api/theory?activation=tanh&weight_var=1&bias_var=0&depth=20");
        Assert.Equal(1.0, theory.GetProperty("chi1").GetDouble(), 3);
        Assert.Equal("critical", theory.GetProperty("phase").GetString());
        var ordered = await harness.GetJson("/api/theory?activation=tanh&weight_var=0.5");
        Assert.Equal("ordered", ordered.GetProperty("phase").GetString());
        var diagram = await harness.GetJson("/api/theory/phase-diagram?activation=tanh&grid=8");
        Assert.Equal(8, diagram.GetProperty("weight_vars").GetArrayLength());
        int biases = diagram.GetProperty("bias_vars").GetArrayLength();
        Assert.Equal(8 * biases, diagram.GetProperty("cells").GetArrayLength());
        Assert.Equal(biases, diagram.GetProperty("critical_line").GetArrayLength());
        using var bad = await harness.Client.GetAsync("/api/theory?activation=sparkle");
        await ServerHarness.Problem(bad, 400);
        using var badNumber = await harness.Client.GetAsync("/api/theory?weight_var=-1");
        await ServerHarness.Problem(badNumber, 400);
    }

    [Fact]
    public async Task Sweeps_EmptyListAndUnknownName()
    {
        await using var harness = await ServerHarness.Start();
        var sweeps = await harness.GetJson("/api/sweeps");
        Assert.Equal(0, sweeps.GetProperty("sweeps").GetArrayLength());
        using var missing = await harness.Client.GetAsync("/api/sweeps/nope");
        await ServerHarness.Problem(missing, 404);
    }

    [Fact]
    public async Task OpenApi_ListsEveryEndpointWithSummaries()
    {
        await using var harness = await ServerHarness.Start();
        var document = await harness.GetJson("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        string[] expected =
        [
            "/api/runs", "/api/runs/{id}", "/api/runs/{id}/steps", "/api/runs/{id}/histograms", "/api/runs/{id}/stream",
            "/api/runs/{id}/boundary", "/api/runs/{id}/squashing", "/api/runs/{id}/sensitivity", "/api/runs/{id}/stop",
            "/api/runs/{id}/pause", "/api/runs/{id}/resume", "/api/runs/{id}/step", "/api/runs/{id}/rerun",
            "/api/runs/{id}/remedies/{remedy}", "/api/sweeps", "/api/sweeps/{name}", "/api/theory", "/api/theory/phase-diagram",
            "/api/datasets", "/api/remedies", "/api/info",
        ];
        foreach (string path in expected)
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");
        foreach (var path in paths.EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                Assert.False(string.IsNullOrEmpty(operation.Value.GetProperty("summary").GetString()), $"{operation.Name} {path.Name} has no summary");
                Assert.False(string.IsNullOrEmpty(operation.Value.GetProperty("operationId").GetString()), $"{operation.Name} {path.Name} has no name");
            }
        }

        Assert.True(paths.GetProperty("/api/runs").TryGetProperty("post", out _));
    }
}
