using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gradscope.Browser.Tests.Dashboard;

/// <summary>
/// The review's defects: playground runs left behind, paused runs shown running, buttons that can
/// only fail (imported and other processes' runs), PyTorch code on the run page, chart labels.
/// </summary>
public sealed partial class DashboardBrowserTests
{
    [BrowserFact]
    public async Task Playground_LeftByRouteChangeOrTabClose_StopsItsRun()
    {
        await using var page = await DashboardPage.Open(fixture);
        await page.Go("/playground?data=xor&depth=4&width=8&activation=relu&epochs=200");
        await page.Page.Locator("#play-step").ClickAsync();
        await Columns(page, "#play-heatmap", 1);
        string paused = await PlaygroundRunId(page);
        Assert.Equal("paused", await RunStatus(paused));
        await page.Page.Locator("header nav a[data-nav=runs]").ClickAsync();
        await page.WaitReady();
        Assert.Equal("interrupted", await WaitForEnd(paused));

        await page.Go("/playground?data=spiral&depth=40&width=64&activation=tanh&epochs=500");
        await page.Page.Locator("#play-start").ClickAsync();
        await Columns(page, "#play-heatmap", 1);
        string running = await PlaygroundRunId(page);
        page.AssertClean();
        await page.Page.CloseAsync(new() { RunBeforeUnload = true });
        Assert.Equal("interrupted", await WaitForEnd(running));
    }

    [BrowserFact]
    public async Task RunPage_OfAPausedRunThisServerTrains_SaysPausedAndStops()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.Url };
        using var healthy = JsonDocument.Parse(await http.GetStringAsync($"/api/runs/{fixture.HealthyId}"));
        string body = $$"""{"spec": {{healthy.RootElement.GetProperty("spec").GetRawText()}}, "name": "held", "paused": true}""";
        using var started = await http.PostAsync("/api/runs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        using var answer = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
        string id = answer.RootElement.GetProperty("id").GetString()!;
        Assert.Equal($"/runs/{id}", answer.RootElement.GetProperty("page").GetString());

        await using var page = await DashboardPage.Open(fixture);
        await page.Go($"/runs/{id}");
        Assert.Equal("paused", (await page.Page.Locator("h1 .status").InnerTextAsync()).Trim());
        Assert.Equal(0, await page.Page.Locator("#not-hosted").CountAsync());
        await page.Page.Locator("#stop").ClickAsync();
        Assert.Equal("interrupted", await WaitForEnd(id));
        page.AssertClean();
    }

    [BrowserFact]
    public async Task RunPage_OfAnImportedPyTorchRun_ShowsRemedyCodeInsteadOfButtonsThatFail()
    {
        string folder = Directory.CreateTempSubdirectory("gradscope-browser-torch-").FullName;
        string trace = Path.Combine(folder, "torch.jsonl");
        await GradscopeProcess.Run("train", "--data", "spiral", "--layers", "10x16", "--activation", "sigmoid", "--init", "standard", "--epochs", "2",
            "--store", Path.Combine(folder, "other.db"), "--trace", trace);
        // The trace marked as the PyTorch hook marks its own: kind torch, a framework in the header.
        var lines = File.ReadAllLines(trace);
        var header = JsonNode.Parse(lines[0])!.AsObject();
        header["kind"] = "torch";
        header["framework"] = new JsonObject { ["name"] = "pytorch", ["version"] = "2.4.0" };
        header["spec"] = null; // a PyTorch run has no run description
        lines[0] = header.ToJsonString();
        File.WriteAllLines(trace, lines);
        await GradscopeProcess.Run("runs", "import", trace, "--store", fixture.Store, "--name", "imported torch run");
        using var runs = JsonDocument.Parse(await GradscopeProcess.Run("runs", "list", "--json", "--store", fixture.Store, "--name", "imported torch run"));
        string id = runs.RootElement[0].GetProperty("id").GetString()!;

        await using var page = await DashboardPage.Open(fixture);
        await page.Go($"/runs/{id}");
        Assert.Equal(0, await page.Page.Locator("#rerun, #try-remedy, #findings button[data-remedy]").CountAsync());
        Assert.Contains("cannot be re-run", await page.Page.Locator("#no-rerun").InnerTextAsync(), StringComparison.Ordinal);
        var code = page.Page.Locator("#findings details.pytorch-remedy");
        Assert.True(await code.CountAsync() > 0, "no remedy shows its PyTorch code");
        await code.First.Locator("summary").ClickAsync();
        Assert.Contains("model", await code.First.Locator("pre").InnerTextAsync(), StringComparison.Ordinal);
        await page.Screenshot("run-imported-pytorch");
        page.AssertClean();
    }

    [BrowserFact]
    public async Task Charts_LogTicksUnderADecade_LayerLabels_AccuracyLegend_ReadCleanly()
    {
        await using var page = await DashboardPage.Open(fixture);
        await page.Go($"/runs/{fixture.VanishingId}");
        Assert.Contains("train", await page.Page.Locator("#accuracy-legend").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("test", await page.Page.Locator("#accuracy-legend").InnerTextAsync(), StringComparison.Ordinal);

        // Every text the charts draw, with where its left edge lands.
        var texts = await page.Page.EvaluateAsync<JsonElement>("""
            async () => {
              const { drawLines } = await import("/js/lines.js");
              const { drawHeatmap } = await import("/js/heatmap.js");
              const box = document.createElement("div");
              box.style.width = "600px";
              const line = document.createElement("canvas"), heat = document.createElement("canvas");
              box.append(line, heat);
              document.getElementById("app").replaceChildren(box);
              const seen = [], fillText = CanvasRenderingContext2D.prototype.fillText;
              CanvasRenderingContext2D.prototype.fillText = function (text, x, y) {
                const width = this.measureText(String(text)).width;
                seen.push({ text: String(text), align: this.textAlign, left: this.textAlign === "right" ? x - width : this.textAlign === "center" ? x - width / 2 : x });
                return fillText.apply(this, arguments);
              };
              try {
                drawLines(line, [{ label: "g", color: "#000", xs: [0, 1, 2], ys: [0.021, 0.03, 0.045] }], { log: true, yTitle: "gradient (log)" });
                const lines = seen.splice(0);
                drawHeatmap(heat, { steps: [0, 1], layers: [{ layer: 11, name: "20" }, { layer: 12, name: "22" }], values: [[0.1, 0.2], [0.1, 0.3]], vmin: -1, vmax: 0, domain: [0, 2], quantity: "delta_rms" });
                return { lines, heat: seen };
              } finally { CanvasRenderingContext2D.prototype.fillText = fillText; }
            }
            """);
        var yTicks = texts.GetProperty("lines").EnumerateArray().Where(t => t.GetProperty("align").GetString() == "right").ToList();
        Assert.True(yTicks.Count >= 2, "no y tick labels");
        foreach (var tick in yTicks)
        {
            string text = tick.GetProperty("text").GetString()!;
            int digits = text.Split('e')[0].Count(char.IsAsciiDigit) - (text.StartsWith("0.", StringComparison.Ordinal) ? 1 + text[2..].TakeWhile(c => c == '0').Count() : 0);
            Assert.True(digits <= 3, $"tick '{text}' has more than 3 significant digits");
            // Clear of the rotated axis title, drawn around x = 12.
            Assert.True(tick.GetProperty("left").GetDouble() >= 20, $"tick '{text}' starts at x = {tick.GetProperty("left").GetDouble():F1}, over the axis title");
        }

        var heatLabels = texts.GetProperty("heat").EnumerateArray().Select(t => t.GetProperty("text").GetString()).ToList();
        Assert.Contains("11 (20)", heatLabels);
        page.AssertClean();
    }

    private async Task<string> PlaygroundRunId(DashboardPage page)
    {
        string href = (await page.Page.Locator("#play-open").GetAttributeAsync("href"))!;
        return href[(href.LastIndexOf('/') + 1)..];
    }

    private async Task<string> RunStatus(string id)
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.Url };
        using var run = JsonDocument.Parse(await http.GetStringAsync($"/api/runs/{id}"));
        return run.RootElement.GetProperty("run").GetProperty("status").GetString()!;
    }

    // The run's status once it is neither running nor paused (after at most 20 s).
    private async Task<string> WaitForEnd(string id)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string status = await RunStatus(id);
        while (status is "running" or "paused" && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
            status = await RunStatus(id);
        }

        return status;
    }
}
