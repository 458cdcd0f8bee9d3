using System.Globalization;

namespace Gradscope.Browser.Tests.Dashboard;

/// <summary>
/// The dashboard in Chromium against <c>gradscope serve</c> over a seeded store: every page opens
/// and draws, runs compare on one colour scale, a finding leads to its layer, a playground run and
/// a run trained by another process appear live; never a console error or a request off loopback.
/// Screenshots of each page go to <see cref="DashboardFixture.ScreenshotFolder"/>.
/// </summary>
[Trait("Category", "Browser")]
public sealed partial class DashboardBrowserTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [BrowserFact]
    public async Task EveryPage_OpensAndDrawsWithoutErrors()
    {
        await using var page = await DashboardPage.Open(fixture);

        await page.Go("/");
        Assert.True(await page.Page.Locator("#runs-table tbody tr").CountAsync() >= 2);
        Assert.Equal(1, await page.Page.Locator($"#runs-table tr[data-id='{fixture.VanishingId}'] a", new() { HasText = "sigmoid standard init" }).CountAsync());
        await page.Screenshot("runs");

        await page.Go($"/runs/{fixture.VanishingId}");
        foreach (string chart in new[] { "#heatmap", "#curves", "#profile", "#loss", "#saturation", "#accuracy" })
            Assert.True(await page.Ink(chart) > 2000, chart + " is blank");
        await page.Page.WaitForFunctionAsync("() => document.querySelector('#histograms').dataset.columns > 0", null, new() { Timeout = 15_000 });
        await page.Screenshot("run");

        await page.Go("/sweeps");
        await page.Page.Locator("#sweeps-table a").First.ClickAsync();
        await page.WaitReady();
        Assert.True(await page.Page.Locator("table.matrix td.cell a").CountAsync() >= 4);
        await page.Screenshot("sweep");

        await page.Go("/theory?activation=tanh&weight_var=1.5&bias_var=0.05");
        Assert.Equal("true", await page.Page.Locator("#phase-diagram").GetAttributeAsync("data-marked"));
        Assert.True(await page.Ink("#phase-diagram") > 20_000);
        await page.Screenshot("theory");

        await page.Go("/playground?data=moons&depth=30&width=8&activation=relu&init=he-normal&norm=batch&residual=true&optimizer=adam&lr=0.01&batch=16");
        Assert.Equal("30", await page.Page.Locator("input[name=depth]").InputValueAsync());
        Assert.Equal("batch", await page.Page.Locator("select[name=norm]").InputValueAsync());
        Assert.True(await page.Page.Locator("input[name=residual]").IsCheckedAsync());
        await page.Page.Locator("input[name=depth]").FillAsync("100");
        await page.Page.Locator("input[name=depth]").PressAsync("Tab");
        await page.Page.Locator("select[name=activation]").SelectOptionAsync("tanh");
        Assert.Contains("depth=100", page.Page.Url, StringComparison.Ordinal);
        Assert.Contains("activation=tanh", page.Page.Url, StringComparison.Ordinal);
        Assert.Contains("norm=batch", page.Page.Url, StringComparison.Ordinal);
        await page.Screenshot("playground-idle");

        page.AssertClean();
    }

    [BrowserFact]
    public async Task Compare_TwoRuns_ShareOneColourScaleAndListDifferences()
    {
        await using var page = await DashboardPage.Open(fixture);
        await page.Go("/");
        await page.Page.Locator($"input[data-id='{fixture.VanishingId}']").CheckAsync();
        await page.Page.Locator($"input[data-id='{fixture.HealthyId}']").CheckAsync();
        await page.Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Compare selected" }).ClickAsync();
        await page.WaitReady();

        var heatmaps = page.Page.Locator("canvas.heatmap");
        Assert.Equal(2, await heatmaps.CountAsync());
        Assert.Equal(await heatmaps.Nth(0).GetAttributeAsync("data-vmin"), await heatmaps.Nth(1).GetAttributeAsync("data-vmin"));
        Assert.Equal(await heatmaps.Nth(0).GetAttributeAsync("data-vmax"), await heatmaps.Nth(1).GetAttributeAsync("data-vmax"));
        string differences = await page.Page.Locator("#differences").InnerTextAsync();
        Assert.Contains("sigmoid", differences);
        Assert.Contains("he-normal", differences);
        Assert.True(await page.Ink("#overlay-curves") > 2000);
        await page.Page.WaitForFunctionAsync("() => document.querySelector('#overlay-histograms').dataset.series === '2'", null, new() { Timeout = 15_000 });
        await page.Screenshot("compare");

        await page.Page.Locator("input[name=shared]").UncheckAsync();
        Assert.NotEqual(await heatmaps.Nth(0).GetAttributeAsync("data-vmin"), await heatmaps.Nth(1).GetAttributeAsync("data-vmin"));
        page.AssertClean();
    }

    [BrowserFact]
    public async Task Finding_LayerLink_HighlightsThatLayersRow()
    {
        await using var page = await DashboardPage.Open(fixture);
        await page.Go($"/runs/{fixture.VanishingId}");
        var link = page.Page.Locator("#findings button.layer-link").First;
        Assert.True(await link.CountAsync() > 0, "the vanishing run has no finding naming a layer");
        string layer = (await link.GetAttributeAsync("data-layer"))!;
        await link.ClickAsync();

        var heatmap = page.Page.Locator("#heatmap");
        Assert.Equal(layer, await heatmap.GetAttributeAsync("data-highlight"));
        await page.Page.WaitForFunctionAsync("() => { const r = document.querySelector('#heatmap').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }");
        await page.Screenshot("finding-to-layer");
        page.AssertClean();
    }

    [BrowserFact]
    public async Task Playground_StartedRun_GrowsTheHeatmapLive()
    {
        await using var page = await DashboardPage.Open(fixture);
        // 600 epochs (27,000 steps): long enough that the page sees the run before it ends. With 60, a
        // fast machine finished all 2,700 steps before the first column was drawn, and it never grew.
        await page.Go("/playground?data=spiral&depth=12&width=8&activation=tanh&epochs=600&batch=16");
        await page.Page.Locator("#play-start").ClickAsync();

        int first = await Columns(page, "#play-heatmap", 1);
        int later = await Columns(page, "#play-heatmap", first + 1);
        Assert.True(later > first);
        await page.Page.WaitForFunctionAsync("() => document.querySelector('#play-boundary').dataset.step !== undefined", null, new() { Timeout = 20_000 });
        await page.Page.Locator("#play-squashing button").First.WaitForAsync(new() { Timeout = 20_000 });
        await page.Page.Locator("#play-squashing button").Nth(1).ClickAsync();
        await page.Page.WaitForFunctionAsync("() => document.querySelector('#play-sensitivity').dataset.bars > 0", null, new() { Timeout = 20_000 });
        await page.Screenshot("playground-live");
        await page.Page.Locator("#play-reset").ClickAsync();
        page.AssertClean();
    }

    [BrowserFact]
    public async Task RunPage_OfATrainInAnotherProcess_UpdatesLive()
    {
        using var train = GradscopeProcess.Start("train", "--data", "spiral", "--layers", "30x64", "--activation", "tanh", "--epochs", "400", "--batch-size", "16",
            "--store", fixture.Store, "--name", "terminal run", "--tag", "live");
        _ = train.StandardOutput.ReadToEndAsync();
        _ = train.StandardError.ReadToEndAsync();
        try
        {
            await using var page = await DashboardPage.Open(fixture);
            await page.Go("/?status=running");
            var link = page.Page.Locator("#runs-table a", new() { HasText = "terminal run" });
            await link.WaitForAsync(new() { Timeout = 30_000 });
            await link.ClickAsync();
            await page.WaitReady();
            int first = await Columns(page, "#heatmap", 0, "lastStep");
            int later = await Columns(page, "#heatmap", first + 1, "lastStep");
            Assert.True(later > first);
            // Another process trains it: no Pause/Resume/Stop that could only answer 409, and why.
            Assert.Equal(0, await page.Page.Locator("#pause, #resume, #stop").CountAsync());
            Assert.Contains("another process", await page.Page.Locator("#not-hosted").InnerTextAsync(), StringComparison.Ordinal);
            await page.Screenshot("run-live");
            page.AssertClean();
        }
        finally
        {
            GradscopeProcess.Stop(train);
        }
    }

    // Waits until the canvas's data attribute (a count) reaches at least `atLeast`, and returns it.
    private static async Task<int> Columns(DashboardPage page, string selector, int atLeast, string attribute = "columns")
    {
        string script = $"() => +(document.querySelector('{selector}').dataset.{attribute} || -1) >= {atLeast}";
        try
        {
            await page.Page.WaitForFunctionAsync(script, null, new() { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            // Say what the page said (a server that cannot start runs answers 503, shown in an error box).
            string said = string.Join(" | ", await page.Page.Locator(".error-box").AllInnerTextsAsync());
            Assert.Fail($"{selector} never reached {attribute} >= {atLeast}; errors on the page: {(said.Length == 0 ? "none" : said)}");
        }

        string? value = await page.Page.Locator(selector).GetAttributeAsync("data-" + Kebab(attribute));
        return int.Parse(value!, CultureInfo.InvariantCulture);
    }

    private static string Kebab(string name) => string.Concat(name.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));
}
