using Microsoft.Playwright;

namespace Gradscope.Browser.Tests.Dashboard;

/// <summary>
/// One browser page on the dashboard that records every console error, page error and request
/// that would leave loopback (those are aborted), and writes screenshots.
/// </summary>
internal sealed class DashboardPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly Uri _root;

    private DashboardPage(IBrowserContext context, IPage page, Uri root)
    {
        _context = context;
        Page = page;
        _root = root;
    }

    public IPage Page { get; }

    public List<string> Errors { get; } = [];

    public List<string> Outside { get; } = [];

    public static async Task<DashboardPage> Open(DashboardFixture fixture)
    {
        var context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1360, Height = 900 } });
        var page = await context.NewPageAsync();
        var dashboard = new DashboardPage(context, page, fixture.Server.Url);
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Scheme is "data" or "blob" || url.IsLoopback)
            {
                await route.ContinueAsync();
                return;
            }

            lock (dashboard.Outside)
                dashboard.Outside.Add(route.Request.Url);
            await route.AbortAsync();
        });
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
                lock (dashboard.Errors)
                    dashboard.Errors.Add($"console {message.Type}: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => { lock (dashboard.Errors) dashboard.Errors.Add("page error: " + error); };
        return dashboard;
    }

    /// <summary>Opens PATH (with its query) and waits until the page says it is drawn.</summary>
    public async Task Go(string path)
    {
        await Page.GotoAsync(new Uri(_root, path).AbsoluteUri);
        await WaitReady();
    }

    // A minute: the theory page waits for the server's phase diagram, which takes seconds on a loaded machine.
    public Task WaitReady() => Page.WaitForSelectorAsync("body[data-ready=true]", new() { Timeout = 60_000 });

    public async Task Screenshot(string name)
    {
        Directory.CreateDirectory(DashboardFixture.ScreenshotFolder);
        await Page.Mouse.MoveAsync(0, 0);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(DashboardFixture.ScreenshotFolder, name + ".png"), FullPage = true });
    }

    /// <summary>Fails on any console or page error, or any request that left loopback.</summary>
    public void AssertClean()
    {
        // The whole text, with the URL: xunit's collection display cuts an error to a few words.
        lock (Errors)
            Assert.True(Errors.Count == 0, string.Join(Environment.NewLine, Errors));
        lock (Outside)
            Assert.Empty(Outside);
    }

    /// <summary>Pixels of a canvas that are not white: proof that something was drawn.</summary>
    public Task<int> Ink(string selector) => Page.Locator(selector).First.EvaluateAsync<int>("""
        c => {
          const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
          let ink = 0;
          for (let i = 0; i < data.length; i += 4) if (data[i] < 245 || data[i + 1] < 245 || data[i + 2] < 245) ink++;
          return ink;
        }
        """);

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
