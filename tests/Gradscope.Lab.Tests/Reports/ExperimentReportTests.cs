using System.Xml.Linq;
using Gradscope.Lab.Experiments;
using Gradscope.Lab.Reports.Experiments;

namespace Gradscope.Lab.Tests.Reports;

public sealed class ExperimentReportTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Report_ParsesAsXhtml_AndHoldsTheSetupTablesExpectationsAndNotes()
    {
        var page = Parse(ExperimentReport.Render(Result(), new ExperimentReportInfo(true, 3, 12.5, ["01ABC"])));
        string text = page.Root!.Value;
        Assert.Contains("Gradscope experiment demo-experiment", page.Descendants("title").First().Value);
        Assert.Contains("spiral, depth 10 & 20 <x>", text);
        Assert.Contains("quick run, seed 3, 12.5 s; 1 of 2 expectations hold", text);
        var cells = page.Descendants("td").Select(td => td.Value).ToList();
        Assert.Contains("1.23e-07", cells);
        Assert.Contains("nan", cells);
        Assert.Contains("-", cells);
        Assert.Contains("97.5%", cells);
        var rows = page.Descendants("tr").Where(tr => (string?)tr.Attribute("class") is "pass" or "fail").ToList();
        Assert.Equal(["pass", "fail"], rows.Select(r => (string?)r.Attribute("class")));
        Assert.Contains("1 wrong of 2560 (Table 7)", rows[0].Value);
        Assert.Contains("a note about the paper", page.Descendants("li").Select(li => li.Value));
        Assert.Contains("01ABC", text);
        Assert.Contains("the paper's numbers", page.Descendants("caption").Select(c => c.Value));
    }

    [Fact]
    public void Report_IsSelfContained_NoScriptsOrExternalFiles()
    {
        string html = ExperimentReport.Render(Result(), new ExperimentReportInfo(false, 1, 1, []));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Chart_LogYWithNonPositiveValues_DrawsThePositiveOnes_WithDecadeTicksAndLegend()
    {
        var chart = new ExperimentChart("ratio", "depth", "first/last", true,
            [new ChartSeries("plain", [2, 10, 20, 30], [1e-2, 0, 1e-9, double.NaN]), new ChartSeries("residual", [2, 10, 20, 30], [-1, 0.5, 0.3, 0.2])]);
        var svg = XElement.Parse(SvgLineChart.Render(chart));
        var labels = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("1e-9", labels);
        Assert.Contains("1e0", labels);
        Assert.Contains("first/last (log scale)", labels);
        Assert.Contains("plain", labels);
        Assert.Contains("residual", labels);

        // plain: two lone points (its zero and NaN break the line), residual: one line of three.
        var lines = svg.Descendants(Svg + "polyline").ToList();
        Assert.Single(lines);
        Assert.Equal(3, ((string)lines[0].Attribute("points")!).Split(' ').Length);
        Assert.Equal(5, svg.Descendants(Svg + "circle").Count());
        Assert.All(svg.Descendants(Svg + "circle"), c => Assert.True(double.IsFinite(double.Parse((string)c.Attribute("cy")!, System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Chart_LogYWithNothingPositive_SaysSo()
    {
        var chart = new ExperimentChart("ratio", "depth", "y", true, [new ChartSeries("a", [1, 2], [0, -3])]);
        Assert.Contains("no positive values to draw", XElement.Parse(SvgLineChart.Render(chart)).Value);
    }

    [Fact]
    public void Chart_LinearOneValue_HasTicksAroundIt()
    {
        var svg = XElement.Parse(SvgLineChart.Render(new ExperimentChart("c", "x", "y", false, [new ChartSeries("a", [5], [0.25])])));
        var ticks = svg.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "tick").Select(t => t.Value).ToList();
        Assert.Contains("5", ticks);
        Assert.True(ticks.Count >= 4, string.Join(",", ticks));
    }

    [Fact]
    public void Image_IsOneRectPerValue_GreyScaleWithNonFiniteInRed()
    {
        var svg = XElement.Parse(SvgImage.Render(new ExperimentImage("grid", 3, 2, [0, 1, 2, 3, 4, double.NaN])));
        var fills = svg.Descendants(Svg + "rect").Select(r => (string)r.Attribute("fill")!).ToList();
        Assert.Equal(["#000000", "#404040", "#808080", "#bfbfbf", "#ffffff", "#d00"], fills);
    }

    [Fact]
    public void Ticks_Nice_AreRoundAndCoverTheRange()
    {
        var ticks = Ticks.Nice(0.03, 0.97, out double from, out double to);
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1], ticks.Select(t => Math.Round(t, 12)));
        Assert.Equal((0.0, 1.0), (from, Math.Round(to, 12)));
        Assert.Equal([-9.0, -8, -7, -6, -5, -4, -3, -2, -1, 0], Ticks.Decades(-8.7, -0.2, out _, out _).Take(10));
        Assert.Equal("2.5e-05", Ticks.Label(2.5e-5));
        Assert.Equal("0.3", Ticks.Label(0.30000000000000004));
    }

    private static XDocument Parse(string html) => XDocument.Parse(html.Replace("<!DOCTYPE html>", "", StringComparison.Ordinal));

    private static ExperimentResult Result() => new()
    {
        Experiment = "demo-experiment",
        Setup = "spiral, depth 10 & 20 <x>",
        Cells = ResultTable.Create("cells", [new("depth", "depth"), new("ratio", "first/last"), new("loss", "loss"), new("accuracy", "accuracy")],
            [[ResultValue.Integer(10), ResultValue.Scientific(1.23e-7), ResultValue.Fixed(double.NaN), ResultValue.Percent(0.975)],
             [ResultValue.Integer(20), ResultValue.Missing, ResultValue.Fixed(0.5), ResultValue.Percent(0.5)]]),
        Tables = [ResultTable.Create("the paper's numbers", [new("t", "T")], [[ResultValue.Integer(100)]])],
        Expectations = [new("it trains", true, "loss 0.1", "1 wrong of 2560 (Table 7)"), new("it stalls", false, "loss 0.2")],
        Notes = ["a note about the paper"],
        Charts = [new ExperimentChart("loss", "depth", "loss", false, [new ChartSeries("plain", [10, 20], [0.1, 0.2])])],
        Images = [new ExperimentImage("grid", 2, 2, [0, 1, 2, 3])],
    };
}
