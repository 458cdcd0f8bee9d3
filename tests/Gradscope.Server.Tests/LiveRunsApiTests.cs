using System.Net;
using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Live;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;

namespace Gradscope.Server.Tests;

/// <summary>What the API says about runs this server trains: live status, hosted, capacity, control answers.</summary>
public sealed class LiveRunsApiTests
{
    private static string SpecJson(int epochs = 1) => RunSpecJson.Write(TestRuns.Config() with { Budget = TestRuns.Config().Budget with { Epochs = epochs } });

    [Fact]
    public async Task RunObjects_OfAPausedHostedRun_SayPausedAndHosted()
    {
        string store = TestRuns.TempStore();
        string paused = TestRuns.Save(store, steps: 3, name: "held");
        string other = TestRuns.Save(store, steps: 3, name: "other");
        var host = new FakeRunHost();
        host.Outcomes[paused] = ControlOutcome.Applied;
        await using var harness = await ServerHarness.Start(store, host);

        var detail = await harness.GetJson($"/api/runs/{paused}");
        Assert.Equal("paused", detail.GetProperty("run").GetProperty("status").GetString());
        Assert.True(detail.GetProperty("run").GetProperty("hosted").GetBoolean());
        var foreign = await harness.GetJson($"/api/runs/{other}");
        Assert.False(foreign.GetProperty("run").GetProperty("hosted").GetBoolean());
        Assert.Equal("completed", foreign.GetProperty("run").GetProperty("status").GetString());

        var list = await harness.GetJson("/api/runs?status=paused");
        Assert.Equal(paused, list.EnumerateArray().Single().GetProperty("id").GetString());
        Assert.Equal("paused", list[0].GetProperty("status").GetString());
        var completed = await harness.GetJson("/api/runs?status=completed");
        Assert.Equal(other, completed.EnumerateArray().Single().GetProperty("id").GetString());
    }

    [Fact]
    public async Task Info_CanStartRuns_OnlyWithRoomLeft()
    {
        var host = new FakeRunHost { Capacity = 2, Active = 2 };
        await using var harness = await ServerHarness.Start(host: host);
        Assert.False((await harness.GetJson("/api/info")).GetProperty("can_start_runs").GetBoolean());
        host.Active = 1;
        Assert.True((await harness.GetJson("/api/info")).GetProperty("can_start_runs").GetBoolean());
    }

    [Fact]
    public async Task Control_AnswersTheStateAfterTheCommandTookEffect()
    {
        string store = TestRuns.TempStore();
        string stepped = TestRuns.Save(store, steps: 3);
        string stopped = TestRuns.Save(store, steps: 3);
        var host = new FakeRunHost { Lag = TimeSpan.FromMilliseconds(300) };
        host.Outcomes[stepped] = ControlOutcome.Applied;
        host.Outcomes[stopped] = ControlOutcome.Applied;
        await using var harness = await ServerHarness.Start(store, host);

        using var step = await harness.PostJson($"/api/runs/{stepped}/step", "");
        Assert.Contains("\"status\":\"paused\",\"step\":8", await step.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var stop = await harness.PostJson($"/api/runs/{stopped}/stop", "");
        Assert.Contains("\"status\":\"interrupted\"", await stop.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    public async Task Stop_AsABeacon_TextPlainOrNoBody_WithTheCookie_Stops(string bind)
    {
        string store = TestRuns.TempStore();
        string first = TestRuns.Save(store, steps: 3);
        string second = TestRuns.Save(store, steps: 3);
        var host = new FakeRunHost();
        host.Outcomes[first] = ControlOutcome.Applied;
        host.Outcomes[second] = ControlOutcome.Applied;
        await using var harness = await ServerHarness.Start(store, host, bind);

        foreach (var (id, body) in new[] { (first, new StringContent("", System.Text.Encoding.UTF8, "text/plain")), (second, (StringContent?)null) })
        {
            using var beacon = new HttpRequestMessage(HttpMethod.Post, $"/api/runs/{id}/stop") { Content = body };
            beacon.Headers.Add("Origin", harness.Client.BaseAddress!.GetLeftPart(UriPartial.Authority));
            beacon.Headers.Add("Cookie", $"gradscope_token={ServerHarness.Token}");
            using var response = await harness.Client.SendAsync(beacon);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("interrupted", host.State(id)!.Status);
        }

        using var noToken = new HttpRequestMessage(HttpMethod.Post, $"/api/runs/{first}/stop") { Content = new StringContent("", System.Text.Encoding.UTF8, "text/plain") };
        using var refused = await harness.Client.SendAsync(noToken);
        Assert.Equal(bind == "0.0.0.0" ? HttpStatusCode.Unauthorized : HttpStatusCode.OK, refused.StatusCode);
    }

    [Fact]
    public async Task Remedy_IsNamedAfterItsParentAndTheRemedy()
    {
        string store = TestRuns.TempStore();
        string named = TestRuns.Save(store, steps: 3, name: "deepsig");
        string unnamed = TestRuns.Save(store, steps: 3);
        var host = new FakeRunHost();
        await using var harness = await ServerHarness.Start(store, host);

        using var first = await harness.PostJson($"/api/runs/{named}/remedies/relu-he", "");
        using var second = await harness.PostJson($"/api/runs/{unnamed}/remedies/batch-norm", "");
        Assert.Equal("deepsig + relu-he", host.Remedies[0].Options.Name);
        Assert.Equal($"{unnamed[..10]} + batch-norm", host.Remedies[1].Options.Name);
    }

    [Fact]
    public async Task StartRun_AnswersTheRunPageToo()
    {
        await using var harness = await ServerHarness.Start(host: new FakeRunHost());
        using var response = await harness.PostJson("/api/runs", SpecJson());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("/runs/01HSTARTED0000000000000000", body.RootElement.GetProperty("page").GetString());
        Assert.Equal("/api/runs/01HSTARTED0000000000000000", body.RootElement.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Findings_OfAPyTorchRun_CarryEachRemedysCode()
    {
        string store = TestRuns.TempStore();
        var finding = new Finding(FindingKind.Vanishing, Severity.Error, [0, 1], new Dictionary<string, double>(), new Dictionary<string, double>(), "small", [Remedies.ReluHe, Remedies.BatchNorm]);
        var torch = TestRuns.Record(TestRuns.Trace(3, 10)) with { Spec = null, Kind = "torch", Findings = [finding] };
        var own = TestRuns.Record(TestRuns.Trace(3, 10)) with { Findings = [finding] };
        using (var opened = RunStore.Open(store))
        {
            opened.Save(torch);
            opened.Save(own);
        }

        await using var harness = await ServerHarness.Start(store);
        var remedies = (await harness.GetJson($"/api/runs/{torch.Id}")).GetProperty("findings")[0].GetProperty("remedies");
        // The same code 'diagnose --trace --json' writes: TorchRemedyCode over the run's layers.
        var layers = Lab.Traces.RecordedLayers.From(torch.Trace);
        string? relu = Lab.Traces.TorchRemedyCode.For(Remedies.ReluHe, layers, null);
        Assert.False(string.IsNullOrEmpty(relu));
        Assert.Equal(relu, remedies[0].GetProperty("pytorch").GetString());
        string? norm = Lab.Traces.TorchRemedyCode.For(Remedies.BatchNorm, layers, null);
        Assert.Equal(norm, remedies[1].TryGetProperty("pytorch", out var code) ? code.GetString() : null);
        var plain = (await harness.GetJson($"/api/runs/{own.Id}")).GetProperty("findings")[0].GetProperty("remedies");
        Assert.False(plain[0].TryGetProperty("pytorch", out _));
    }

    [Fact]
    public async Task PausedRun_IsStoppedByTheHost_AfterThePausedLimit()
    {
        string store = TestRuns.TempStore();
        using var host = new RunHost(store, capacity: 1, pausedLimit: TimeSpan.FromMilliseconds(300));
        await using var harness = await ServerHarness.Start(store, host);
        using var started = await harness.PostJson("/api/runs", $$"""{"spec": {{SpecJson(epochs: 1000)}}, "paused": true}""");
        using var body = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
        string id = body.RootElement.GetProperty("id").GetString()!;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (host.State(id)!.Status == "paused" && clock.Elapsed < TimeSpan.FromSeconds(20))
            await Task.Delay(50);
        Assert.Equal("interrupted", host.State(id)!.Status);
        Assert.Equal(0, host.Active);
        Assert.True((await harness.GetJson("/api/info")).GetProperty("can_start_runs").GetBoolean());
    }
}
