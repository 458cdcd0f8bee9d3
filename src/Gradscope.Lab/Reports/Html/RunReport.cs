using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Reports.Html;

/// <summary>
/// The interactive run report: one self-contained HTML file (its script, styles and data inside,
/// no network request; it works from <c>file://</c>) with, for one or more runs, the layers x steps
/// heatmaps of log10 <c>delta_rms</c> or <c>grad_rms</c> on one colour scale shared by every run,
/// per-layer curves, the gradient by layer at a chosen step, histograms over time, loss and
/// accuracy, findings linked to their layers, and the configuration. Long runs are downsampled by
/// <see cref="StepWindows"/>'s rule, which keeps each window's minimum and maximum.
/// </summary>
public static class RunReport
{
    private static readonly string[] Scripts = ["report-core.js", "report-heatmap.js", "report-curves.js", "report-panels.js", "report-page.js"];

    /// <summary>The downsampling rule in one sentence, as the page states it.</summary>
    public static string DownsamplingRule => StepWindows.Rule;

    /// <summary>Writes the report of <paramref name="runs"/> (at least one) as UTF-8 HTML to <paramref name="stream"/>.</summary>
    public static void Write(IReadOnlyList<RunRecord> runs, Stream stream, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = Encoding.UTF8.GetBytes(Html(runs, title));
        stream.Write(bytes);
    }

    /// <summary>The report of <paramref name="runs"/> (at least one) as one HTML document.</summary>
    public static string Html(IReadOnlyList<RunRecord> runs, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
            throw new ArgumentException("A report needs at least one run.", nameof(runs));
        var ranges = ReportJson.SharedRanges(runs);
        string heading = title ?? (runs.Count == 1 ? $"Gradscope run {ReportJson.Label(runs[0])}" : $"Gradscope: {runs.Count} runs compared");
        var script = new StringBuilder();
        foreach (string name in Scripts)
            script.Append(Asset(name)).Append('\n');
        return Asset("report.html")
            .Replace("{{title}}", Encode(heading), StringComparison.Ordinal)
            .Replace("{{style}}", Asset("report.css"), StringComparison.Ordinal)
            .Replace("{{runs}}", RunList(runs), StringComparison.Ordinal)
            .Replace("{{version}}", Encode(Version()), StringComparison.Ordinal)
            .Replace("{{rule}}", Encode(StepWindows.Rule), StringComparison.Ordinal)
            .Replace("{{heatmaps}}", Charts(runs, "heatmap", ranges[0]), StringComparison.Ordinal)
            .Replace("{{curves}}", Charts(runs, "curves", ranges[0]), StringComparison.Ordinal)
            .Replace("{{data}}", Data(runs, ranges), StringComparison.Ordinal)
            .Replace("{{script}}", script.ToString(), StringComparison.Ordinal);
    }

    // One canvas per run; heatmaps carry the shared range of the quantity shown first (delta_rms), the page keeps it current.
    private static string Charts(IReadOnlyList<RunRecord> runs, string kind, ColorRange range)
    {
        var html = new StringBuilder();
        for (int r = 0; r < runs.Count; r++)
        {
            string scale = kind == "heatmap"
                ? string.Create(CultureInfo.InvariantCulture, $" data-vmin=\"{range.Min}\" data-vmax=\"{range.Max}\" data-quantity=\"delta_rms\"")
                : "";
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"chart-box\"><h3 style=\"border-color:{Color(r)}\">{Encode(ReportJson.Label(runs[r]))}</h3>")
                .Append(CultureInfo.InvariantCulture, $"<canvas class=\"chart {kind}\" data-run=\"{r}\"{scale}></canvas></div>\n");
        }

        return html.ToString();
    }

    private static string RunList(IReadOnlyList<RunRecord> runs)
    {
        var html = new StringBuilder();
        for (int r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            string steps = run.Trace.StepCount.ToString("N0", CultureInfo.InvariantCulture);
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"run\"><span class=\"swatch\" style=\"background:{Color(r)}\"></span>{Encode(ReportJson.Label(run))}: ")
                .Append(CultureInfo.InvariantCulture, $"{run.Trace.LayerCount} layers, {steps} recorded steps, {run.Status.ToString().ToLowerInvariant()}</span>");
        }

        return html.ToString();
    }

    private static string Data(IReadOnlyList<RunRecord> runs, ColorRange[] ranges)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            ReportJson.Write(writer, runs, ranges);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // The same palette as the page's script (report-core.js), so headings and lines agree.
    private static readonly string[] Palette = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

    private static string Color(int run) => Palette[run % Palette.Length];

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Version() =>
        typeof(RunReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "(unknown version)";

    private static string Asset(string name)
    {
        using var stream = typeof(RunReport).Assembly.GetManifestResourceStream($"Gradscope.Lab.Reports.Html.Assets.{name}")
            ?? throw new InvalidOperationException($"The report asset '{name}' is missing from the Gradscope.Lab assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
