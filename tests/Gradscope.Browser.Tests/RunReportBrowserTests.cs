using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gradscope.Diagnostics;
using Gradscope.Lab.Reports;
using Gradscope.Lab.Reports.Html;
using Microsoft.Playwright;

namespace Gradscope.Browser.Tests;

/// <summary>
/// Opens a report of two runs in Chromium, from <c>file://</c> as a user would, and checks what a
/// person sees: no script error, no network request, every chart drawn, one colour scale for both
/// heatmaps, and a tooltip with the exact layer, step and value of the cell under the pointer.
/// Set <c>GRADSCOPE_REPORT_SCREENSHOT=FILE.png</c> to keep a screenshot of the page.
/// </summary>
[Trait("Category", "Browser")]
public sealed partial class RunReportBrowserTests
{
    [BrowserFact]
    public async Task TwoRunReport_DrawsEverythingOfflineOnOneScale()
    {
        var runs = ReportRuns.VanishingAndHealthy;
        string dir = Directory.CreateTempSubdirectory("gradscope-report-").FullName;
        string path = Path.Combine(dir, "report.html");
        using (var file = File.Create(path))
            RunReport.Write(runs, file);
        string url = new Uri(path).AbsoluteUri;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = BrowserFactAttribute.Chromium, Headless = true });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        var requests = new List<string>();
        page.Console += (_, message) => { if (message.Type is "error" or "warning") errors.Add($"console {message.Type}: {message.Text}"); };
        page.PageError += (_, error) => errors.Add("page error: " + error);
        page.Request += (_, request) => requests.Add(request.Url);

        await page.GotoAsync(url);
        await page.WaitForSelectorAsync("body[data-ready=true]", new() { Timeout = 15_000 });

        await AssertEveryChartDrawn(page);
        await AssertOneColourScale(page, runs);
        await AssertTooltipNamesTheCell(page, runs[0]);
        await AssertQuantitySwitchKeepsOneScale(page, runs);

        if (Environment.GetEnvironmentVariable("GRADSCOPE_REPORT_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            await page.Mouse.MoveAsync(0, 0);
            await page.Locator("input[value=delta_rms]").CheckAsync();
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        }

        Assert.Empty(errors);
        Assert.Equal([url], requests.Distinct());
    }

    private static async Task AssertEveryChartDrawn(IPage page)
    {
        // Per chart: its id or class, and how many pixels are not the white background.
        var drawn = await page.EvaluateAsync<JsonElement>("""
            () => [...document.querySelectorAll("canvas.chart")].map(c => {
              const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
              let ink = 0;
              for (let i = 0; i < data.length; i += 4) if (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250) ink++;
              return { name: c.id || c.className + " " + (c.dataset.run || ""), width: c.width, height: c.height, ink };
            })
            """);
        var charts = drawn.EnumerateArray().ToList();
        // Colour bar, 2 heatmaps, 2 curve charts, the profile, histograms, loss, accuracy.
        Assert.Equal(9, charts.Count);
        foreach (var chart in charts)
        {
            int ink = chart.GetProperty("ink").GetInt32();
            Assert.True(ink > 2000, $"{chart.GetProperty("name")}: {ink} drawn pixels of {chart.GetProperty("width")}x{chart.GetProperty("height")}");
        }
    }

    private static async Task AssertOneColourScale(IPage page, IReadOnlyList<Lab.Runs.RunRecord> runs)
    {
        var expected = ColorRange.Shared(runs.Select(r => r.Trace), LayerStat.DeltaRms);
        var heatmaps = page.Locator("canvas.heatmap");
        Assert.Equal(2, await heatmaps.CountAsync());
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(expected.Min, Number(await heatmaps.Nth(i).GetAttributeAsync("data-vmin")), 9);
            Assert.Equal(expected.Max, Number(await heatmaps.Nth(i).GetAttributeAsync("data-vmax")), 9);
        }

        // The vanishing run alone reaches the bottom of the scale; the healthy one alone would have a narrower one.
        var healthy = ColorRange.Shared([runs[1].Trace], LayerStat.DeltaRms);
        Assert.True(healthy.Min > expected.Min + 3, $"healthy run's own scale starts at {healthy.Min}, the shared one at {expected.Min}");
    }

    private static async Task AssertTooltipNamesTheCell(IPage page, Lab.Runs.RunRecord run)
    {
        var heatmap = page.Locator("canvas.heatmap").First;
        await heatmap.ScrollIntoViewIfNeededAsync();
        var box = (await heatmap.BoundingBoxAsync())!;
        // Inside the plot area (118 px left margin, 28 right, 8 top, 40 bottom): a third of the way along, at the second row from the bottom.
        float x = box.X + 118 + ((box.Width - 146) / 3);
        float y = box.Y + box.Height - 40 - (1.5f * (box.Height - 48) / run.Trace.LayerCount);
        await page.Mouse.MoveAsync(x, y);
        var tooltip = page.GetByRole(AriaRole.Tooltip);
        await tooltip.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 5_000 });
        string text = await tooltip.InnerTextAsync();

        var layer = LayerPattern().Match(text);
        var step = StepPattern().Match(text);
        var value = ValuePattern().Match(text);
        Assert.True(layer.Success && step.Success && value.Success, "tooltip: " + text);
        int number = int.Parse(layer.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(2, number);
        Assert.Equal(run.Trace.LayerNames[number - 1], layer.Groups[2].Value);
        int stepNumber = int.Parse(step.Groups[1].Value, CultureInfo.InvariantCulture);
        double expected = run.Trace[LayerStat.DeltaRms, stepNumber, number - 1];
        Assert.Equal(expected, Number(value.Groups[1].Value), expected * 1e-6);
    }

    private static async Task AssertQuantitySwitchKeepsOneScale(IPage page, IReadOnlyList<Lab.Runs.RunRecord> runs)
    {
        await page.Locator("input[value=grad_rms]").CheckAsync();
        var expected = ColorRange.Shared(runs.Select(r => r.Trace), LayerStat.GradRms);
        foreach (var heatmap in await page.Locator("canvas.heatmap").AllAsync())
        {
            Assert.Equal("grad_rms", await heatmap.GetAttributeAsync("data-quantity"));
            Assert.Equal(expected.Min, Number(await heatmap.GetAttributeAsync("data-vmin")), 9);
            Assert.Equal(expected.Max, Number(await heatmap.GetAttributeAsync("data-vmax")), 9);
        }
    }

    private static double Number(string? text) => double.Parse(text!, NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"layer (\d+) \(([^)]+)\)")]
    private static partial Regex LayerPattern();

    [GeneratedRegex(@"step (\d+)")]
    private static partial Regex StepPattern();

    [GeneratedRegex(@"delta_rms = ([-+0-9.eE]+)")]
    private static partial Regex ValuePattern();
}
