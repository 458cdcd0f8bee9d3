namespace Gradscope.Browser.Tests;

/// <summary>
/// A test that needs Debian's Chromium (<c>/usr/bin/chromium</c>; Playwright's own browser
/// download cannot work offline). Without it the test is skipped on a developer's machine, with
/// the command that installs it; under CI (<c>CI=true</c>, where <c>.ci/run</c> installs it) it
/// runs and fails, so a missing browser never passes silently.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    /// <summary>Where Debian's chromium package puts the browser.</summary>
    public const string Chromium = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        bool ci = Environment.GetEnvironmentVariable("CI") is { Length: > 0 } value && !value.Equals("false", StringComparison.OrdinalIgnoreCase);
        if (!File.Exists(Chromium) && !ci)
            Skip = $"{Chromium} is missing: 'apt-get install -y --no-install-recommends chromium' runs the browser tests (CI installs it and fails without it).";
    }
}
