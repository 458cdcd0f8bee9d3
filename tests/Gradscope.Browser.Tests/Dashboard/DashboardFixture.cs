using System.Text.Json;
using Microsoft.Playwright;

namespace Gradscope.Browser.Tests.Dashboard;

/// <summary>
/// A temporary run store seeded by the built CLI (a deep sigmoid run whose gradient vanishes, a
/// healthy ReLU + He run, a small sweep), <c>gradscope serve</c> over it, and one Chromium.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gradscope-dashboard-").FullName;
    private IPlaywright? _playwright;

    public string Store => Path.Combine(_directory, "runs.db");

    public string VanishingId { get; private set; } = "";

    public string HealthyId { get; private set; } = "";

    internal DashboardServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(BrowserFactAttribute.Chromium) && Environment.GetEnvironmentVariable("CI") is not { Length: > 0 })
            return; // Every test here is skipped; do not train for nothing.
        await GradscopeProcess.Run("train", "--data", "spiral", "--layers", "10x16", "--activation", "sigmoid", "--init", "standard", "--epochs", "4",
            "--monitor", "standard", "--store", Store, "--name", "sigmoid standard init", "--tag", "vanishing");
        await GradscopeProcess.Run("train", "--data", "spiral", "--layers", "10x16", "--activation", "relu", "--init", "he-normal", "--epochs", "4",
            "--monitor", "standard", "--store", Store, "--name", "relu he init", "--tag", "healthy");
        await GradscopeProcess.Run("sweep", "run", "--name", "depth-by-activation", "--store", Store, "--data", "spiral", "--layers", "2x8", "--layers", "6x8",
            "--activation", "tanh", "--activation", "relu", "--init", "glorot-uniform", "--init", "he-normal", "--max-steps", "20");
        using var runs = JsonDocument.Parse(await GradscopeProcess.Run("runs", "list", "--json", "--store", Store));
        foreach (var run in runs.RootElement.EnumerateArray())
        {
            string name = run.GetProperty("name").GetString() ?? "";
            if (name == "sigmoid standard init")
                VanishingId = run.GetProperty("id").GetString()!;
            else if (name == "relu he init")
                HealthyId = run.GetProperty("id").GetString()!;
        }

        Server = await DashboardServer.Start(Store);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = BrowserFactAttribute.Chromium, Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        Server?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold the store for a moment; the temp folder is cleaned later.
        }
    }

    /// <summary>Where screenshots go: <c>$GRADSCOPE_SCREENSHOTS</c>, else <c>screenshots</c> in the test output.</summary>
    public static string ScreenshotFolder =>
        Environment.GetEnvironmentVariable("GRADSCOPE_SCREENSHOTS") is { Length: > 0 } folder ? folder : Path.Combine(AppContext.BaseDirectory, "screenshots");
}
