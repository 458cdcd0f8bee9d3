using System.Globalization;
using System.Text;
using Gradscope.Lab.Experiments;

namespace Gradscope.Lab.Reports.Experiments;

/// <summary>How an experiment was run, for the report's header.</summary>
/// <param name="Quick">The quick version.</param>
/// <param name="Seed">The first seed.</param>
/// <param name="Seconds">Wall time of the run.</param>
/// <param name="RunIds">The ids of the runs recorded in the store; empty when none were.</param>
public sealed record ExperimentReportInfo(bool Quick, int Seed, double Seconds, IReadOnlyList<string> RunIds);

/// <summary>
/// An experiment's result as one self-contained HTML page (no scripts, no external files): its
/// setup, expectations (pass in green, fail in red, the paper's number beside), tables, notes,
/// every chart as an inline SVG line chart and every image as an SVG grid of cells.
/// </summary>
public static class ExperimentReport
{
    /// <summary>Writes the page as UTF-8 to <paramref name="output"/>.</summary>
    public static void Write(ExperimentResult result, ExperimentReportInfo info, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        byte[] page = Encoding.UTF8.GetBytes(Render(result, info));
        output.Write(page);
    }

    /// <summary>The page as text. It is well-formed XML apart from its doctype, so it parses as XHTML too.</summary>
    public static string Render(ExperimentResult result, ExperimentReportInfo info)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(info);
        var html = new StringBuilder();
        string title = "Gradscope experiment " + result.Experiment;
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>");
        html.Append("<title>").Append(E(title)).Append("</title><style>").Append(Style).Append("</style></head><body>");
        html.Append("<h1>").Append(E(title)).Append("</h1>");
        html.Append("<p class=\"setup\">").Append(E(result.Setup)).Append("</p>");
        html.Append("<p class=\"meta\">").Append(E(Meta(result, info))).Append("</p>");
        Expectations(html, result.Expectations);
        html.Append("<h2>Results</h2>");
        Table(html, result.Cells);
        foreach (var table in result.Tables)
            Table(html, table);
        Notes(html, result.Notes);
        Figures(html, result);
        if (info.RunIds.Count > 0)
            html.Append("<h2>Recorded runs</h2><p class=\"runs\">").Append(E(string.Join(", ", info.RunIds))).Append("</p>");
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string Meta(ExperimentResult result, ExperimentReportInfo info)
    {
        int passed = 0;
        foreach (var e in result.Expectations)
            passed += e.Passed ? 1 : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{(info.Quick ? "quick run" : "full run")}, seed {info.Seed}, {info.Seconds:F1} s; {passed} of {result.Expectations.Count} expectations hold");
    }

    private static void Expectations(StringBuilder html, IReadOnlyList<ExpectationResult> expectations)
    {
        html.Append("<h2>Expectations</h2><table class=\"expectations\"><thead><tr><th>result</th><th>expectation</th><th>measured</th><th>paper</th></tr></thead><tbody>");
        foreach (var e in expectations)
        {
            string verdict = e.Passed ? "pass" : "fail";
            html.Append("<tr class=\"").Append(verdict).Append("\"><td class=\"verdict\">").Append(e.Passed ? "PASS" : "FAIL").Append("</td><td>")
                .Append(E(e.Name)).Append("</td><td>").Append(E(e.Measured)).Append("</td><td>").Append(E(e.Paper ?? "-")).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void Table(StringBuilder html, ResultTable table)
    {
        html.Append("<table class=\"result\"><caption>").Append(E(table.Title)).Append("</caption><thead><tr>");
        foreach (var column in table.Columns)
            html.Append("<th data-key=\"").Append(E(column.Key)).Append("\">").Append(E(column.Header)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            foreach (var value in row)
                html.Append(value.IsNumber ? "<td class=\"num\">" : "<td>").Append(E(value.Display())).Append("</td>");
            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void Notes(StringBuilder html, IReadOnlyList<string> notes)
    {
        if (notes.Count == 0)
            return;
        html.Append("<h2>Notes</h2><ul class=\"notes\">");
        foreach (string note in notes)
            html.Append("<li>").Append(E(note)).Append("</li>");
        html.Append("</ul>");
    }

    private static void Figures(StringBuilder html, ExperimentResult result)
    {
        if (result.Charts.Count + result.Images.Count == 0)
            return;
        html.Append("<h2>Charts</h2>");
        foreach (var chart in result.Charts)
            html.Append("<figure>").Append(SvgLineChart.Render(chart)).Append("<figcaption>").Append(E(chart.Title)).Append("</figcaption></figure>");
        foreach (var image in result.Images)
            html.Append("<figure>").Append(SvgImage.Render(image)).Append("<figcaption>").Append(E(image.Title)).Append("</figcaption></figure>");
    }

    private static string E(string text) => SvgLineChart.Escape(text);

    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}" +
        "table{border-collapse:collapse;margin:1em 0}caption{font-weight:bold;text-align:left;padding:4px 0}" +
        "th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}" +
        "tr.pass td.verdict{color:#fff;background:#1b7f3b;font-weight:bold}tr.fail td.verdict{color:#fff;background:#b3261e;font-weight:bold}" +
        ".setup{font-family:monospace}.meta{color:#555}figure{margin:1em 0}figcaption{color:#555}" +
        "svg text{font-size:12px;fill:#222}svg text.axis{font-size:13px}";
}
