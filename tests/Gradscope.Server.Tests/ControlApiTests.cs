using System.Net;
using Gradscope.Lab.Live;
using Gradscope.Lab.Runs;

namespace Gradscope.Server.Tests;

public sealed class ControlApiTests
{
    private static string SpecJson() => RunSpecJson.Write(TestRuns.Config());

    [Fact]
    public async Task StartRun_WithoutHost_Is503()
    {
        string store = TestRuns.TempStore();
        string id = TestRuns.Save(store, steps: 3);
        await using var harness = await ServerHarness.Start(store);
        using var start = await harness.PostJson("/api/runs", SpecJson());
        var problem = await ServerHarness.Problem(start, 503);
        Assert.Equal("this server cannot start runs", problem.GetProperty("detail").GetString());
        using var stop = await harness.PostJson($"/api/runs/{id}/stop", "");
        await ServerHarness.Problem(stop, 503);
    }

    [Fact]
    public async Task StartRun_PlainAndWrappedSpec_Is202WithLocation()
    {
        var host = new FakeRunHost();
        await using var harness = await ServerHarness.Start(host: host);

        using var plain = await harness.PostJson("/api/runs", SpecJson());
        Assert.Equal(HttpStatusCode.Accepted, plain.StatusCode);
        Assert.Equal("/api/runs/01HSTARTED0000000000000000", plain.Headers.Location?.OriginalString);
        using var wrapped = await harness.PostJson("/api/runs", $$"""{"spec": {{SpecJson()}}, "name": "play", "tags": ["a"], "paused": true}""");
        Assert.Equal(HttpStatusCode.Accepted, wrapped.StatusCode);
        Assert.Contains("\"url\":\"/api/runs/01HSTARTED0000000000000000\"", await wrapped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, host.Started.Count);
        Assert.Equal(new HostedRunOptions("play", ["a"], null, true).Name, host.Started[1].Options.Name);
        Assert.True(host.Started[1].Options.Paused);
        Assert.Equal(["a"], host.Started[1].Options.Tags);
    }

    [Theory]
    [InlineData("{not json", "not JSON")]
    [InlineData("[1, 2]", "JSON object")]
    [InlineData("{\"format\": \"something-else\"}", "format")]
    [InlineData("{\"spec\": {\"format\": \"gradscope.run\", \"version\": 1}}", "run description")]
    [InlineData("{\"spec\": {}, \"colour\": 1}", "colour")]
    public async Task StartRun_MalformedDescription_Is400WithMessage(string body, string message)
    {
        var host = new FakeRunHost();
        await using var harness = await ServerHarness.Start(host: host);
        using var response = await harness.PostJson("/api/runs", body);
        var problem = await ServerHarness.Problem(response, 400);
        Assert.Contains(message, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(host.Started);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../data.csv")]
    [InlineData("Spiral")]
    public async Task StartRun_DataThatIsNotABuiltInSet_Is400AndOpensNoFile(string source)
    {
        var host = new FakeRunHost();
        await using var harness = await ServerHarness.Start(host: host);
        var spec = TestRuns.Config();
        string body = RunSpecJson.Write(spec with { Data = spec.Data with { Source = source } });

        using var response = await harness.PostJson("/api/runs", body);

        var problem = await ServerHarness.Problem(response, 400);
        Assert.Contains($"data '{source}' is not a built-in data set", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(host.Started);
    }

    [Fact]
    public async Task StartRun_OversizedBody_Is413()
    {
        var host = new FakeRunHost();
        await using var harness = await ServerHarness.Start(host: host);
        string big = "{\"spec\": \"" + new string('x', (1 << 20) + 10) + "\"}";
        using var response = await harness.PostJson("/api/runs", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(host.Started);
    }

    [Fact]
    public async Task StartRun_HostFull_Is429()
    {
        var host = new FakeRunHost { Full = true, Capacity = 2 };
        string store = TestRuns.TempStore();
        string id = TestRuns.Save(store, steps: 3);
        await using var harness = await ServerHarness.Start(store, host);
        using var response = await harness.PostJson("/api/runs", SpecJson());
        var problem = await ServerHarness.Problem(response, 429);
        Assert.Contains("2 runs", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var remedy = await harness.PostJson($"/api/runs/{id}/remedies/relu-he", "");
        await ServerHarness.Problem(remedy, 429);
    }

    [Fact]
    public async Task Control_AppliedEndedNotHostedUnknown()
    {
        string store = TestRuns.TempStore();
        string hosted = TestRuns.Save(store, steps: 3);
        string ended = TestRuns.Save(store, steps: 3);
        string foreign = TestRuns.Save(store, steps: 3);
        var host = new FakeRunHost();
        host.Outcomes[hosted] = ControlOutcome.Applied;
        host.Outcomes[ended] = ControlOutcome.Ended;
        await using var harness = await ServerHarness.Start(store, host);

        foreach (var (verb, answer) in new[] { ("pause", "paused\",\"step\":7"), ("resume", "running\",\"step\":7"), ("step", "paused\",\"step\":8"), ("stop", "interrupted\",\"step\":8") })
        {
            using var ok = await harness.PostJson($"/api/runs/{hosted}/{verb}", "");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Contains("\"status\":\"" + answer, await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var over = await harness.PostJson($"/api/runs/{ended}/pause", "");
        Assert.Contains("ended", (await ServerHarness.Problem(over, 409)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var stopEnded = await harness.PostJson($"/api/runs/{ended}/stop", "");
        Assert.Equal(HttpStatusCode.OK, stopEnded.StatusCode); // stopping is idempotent
        Assert.Contains($"\"id\":\"{ended}\"", await stopEnded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var notHosted = await harness.PostJson($"/api/runs/{foreign}/stop", "");
        Assert.Contains("not started by this server", (await ServerHarness.Problem(notHosted, 409)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var unknown = await harness.PostJson("/api/runs/0000000000000000000000000Z/stop", "");
        await ServerHarness.Problem(unknown, 404);
    }

    [Fact]
    public async Task RerunAndRemedy_StartNewRunsParentedToTheRun()
    {
        string store = TestRuns.TempStore();
        string id = TestRuns.Save(store, steps: 3, name: "base");
        var host = new FakeRunHost();
        await using var harness = await ServerHarness.Start(store, host);

        using var rerun = await harness.PostJson($"/api/runs/{id}/rerun", "");
        Assert.Equal(HttpStatusCode.Accepted, rerun.StatusCode);
        Assert.Equal(id, host.Started.Single().Options.ParentId);
        using var remedy = await harness.PostJson($"/api/runs/{id}/remedies/relu-he", "");
        Assert.Equal(HttpStatusCode.Accepted, remedy.StatusCode);
        Assert.Equal((id, "relu-he"), (host.Remedies.Single().RunId, host.Remedies.Single().Remedy));
        using var unknown = await harness.PostJson($"/api/runs/{id}/remedies/prayer", "");
        Assert.Contains("relu-he", (await ServerHarness.Problem(unknown, 404)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Views_BoundaryClampedSquashing404Sensitivity()
    {
        string store = TestRuns.TempStore();
        string id = TestRuns.Save(store, steps: 3);
        var host = new FakeRunHost { BoundaryResult = new DecisionBoundary(0, -1, 1, -1, 1, 2, 5, [[0.2, 0.8]], [[0.5, 0.5]], [1]) };
        await using var harness = await ServerHarness.Start(store, host);

        var big = await harness.GetJson($"/api/runs/{id}/boundary?grid=100000");
        Assert.Equal(200, big.GetProperty("grid").GetInt32());
        var small = await harness.GetJson($"/api/runs/{id}/boundary?grid=1");
        Assert.Equal(4, small.GetProperty("grid").GetInt32());
        Assert.Equal(0.8, small.GetProperty("probabilities")[0][1].GetDouble());
        using var bad = await harness.Client.GetAsync($"/api/runs/{id}/boundary?grid=many");
        await ServerHarness.Problem(bad, 400);
        using var squash = await harness.Client.GetAsync($"/api/runs/{id}/squashing?grid=10");
        await ServerHarness.Problem(squash, 404);
        var sensitivity = await harness.GetJson($"/api/runs/{id}/sensitivity?layer=2&epsilon=0.05");
        Assert.Equal(2, sensitivity.GetProperty("layer").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, sensitivity.GetProperty("by_layer")[2].ValueKind);
    }

    [Fact]
    public async Task Stopping_TheServer_DisposesTheHost()
    {
        var host = new FakeRunHost();
        var harness = await ServerHarness.Start(host: host);
        await harness.DisposeAsync();
        Assert.True(host.Disposed >= 1);
    }
}
