using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Gradscope.Browser.Tests.Dashboard;

/// <summary>
/// The dashboard's front end as shipped (every file of <c>src/Gradscope.Server/wwwroot</c>): under
/// 500 KB gzipped in all, and offline, with no URL that leaves the page's origin.
/// </summary>
public sealed partial class PageWeightTests
{
    private const long MaxGzippedBytes = 500 * 1024;

    [Fact]
    public void Wwwroot_GzippedTotal_IsUnder500KB()
    {
        long total = 0;
        var files = Wwwroot.Files();
        foreach (string file in files)
            total += GzippedLength(File.ReadAllBytes(file));
        Assert.True(files.Count >= 10, $"only {files.Count} files in {Wwwroot.Root}");
        Assert.True(total < MaxGzippedBytes, $"wwwroot is {total} bytes gzipped, over {MaxGzippedBytes}");
    }

    [Fact]
    public void Wwwroot_NamesNoUrlOutsideItsOrigin()
    {
        var offenders = new List<string>();
        foreach (string file in Wwwroot.Files())
        {
            if (Path.GetFileName(file).StartsWith("LICENSE", StringComparison.OrdinalIgnoreCase))
                continue;
            foreach (Match match in ExternalUrl().Matches(File.ReadAllText(file)))
                offenders.Add($"{Path.GetRelativePath(Wwwroot.Root, file)}: {match.Value}");
        }

        Assert.Empty(offenders);
    }

    [Fact]
    public void GzippedLength_OfRepetitiveText_IsSmallerThanTheText()
    {
        byte[] text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("gradient ", 1000)));
        long gzipped = GzippedLength(text);
        Assert.InRange(gzipped, 20, text.Length / 10);
    }

    internal static long GzippedLength(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(bytes);
        return buffer.Length;
    }

    // A scheme-qualified or protocol-relative URL (http, https, ws, wss, //host) in markup, CSS or script.
    [GeneratedRegex(@"(?:https?|wss?):\/\/[^\s""'`)]+|(?:src|href|url)\s*[=(]\s*[""']?\/\/[^\s""'`)]+", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();
}

/// <summary>The front end's source folder, found from the test's output directory up to the repository root.</summary>
internal static class Wwwroot
{
    public static string Root { get; } = Find();

    public static IReadOnlyList<string> Files() => Directory.GetFiles(Root, "*", SearchOption.AllDirectories);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "src", "Gradscope.Server", "wwwroot");
            if (File.Exists(Path.Combine(dir.FullName, "Gradscope.slnx")) && Directory.Exists(candidate))
                return candidate;
        }

        throw new DirectoryNotFoundException($"no src/Gradscope.Server/wwwroot above {AppContext.BaseDirectory}");
    }
}
