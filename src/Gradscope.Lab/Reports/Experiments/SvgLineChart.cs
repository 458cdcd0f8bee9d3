using System.Globalization;
using System.Net;
using System.Text;
using Gradscope.Lab.Experiments;

namespace Gradscope.Lab.Reports.Experiments;

/// <summary>
/// An <see cref="ExperimentChart"/> as inline SVG: axes with ticks and labels, one polyline per
/// series (broken where a value is missing, non-finite or, on a log axis, not positive), a legend.
/// </summary>
internal static class SvgLineChart
{
    private const double Width = 720, Height = 340, Left = 72, Right = 170, Top = 28, Bottom = 48;

    /// <summary>Series colours (colour-blind safe, Okabe and Ito), repeated when there are more series.</summary>
    internal static readonly string[] Palette = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442"];

    public static string Render(ExperimentChart chart)
    {
        var points = Points(chart);
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\">"));
        svg.Append(Invariant($"<title>{Escape(chart.Title)}</title>"));
        if (!Range(points, out var x, out var y))
        {
            svg.Append(Invariant($"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\">no {(chart.LogY ? "positive " : "")}values to draw</text></svg>"));
            return svg.ToString();
        }

        var plot = new Plot(x, y, chart.LogY);
        Axes(svg, chart, plot);
        for (int s = 0; s < points.Count; s++)
            Series(svg, points[s], plot, Palette[s % Palette.Length]);
        Legend(svg, chart);
        svg.Append("</svg>");
        return svg.ToString();
    }

    // Each series' drawable points, as (x, y on the axis' scale); null where a point cannot be drawn.
    private static List<(double X, double Y)?[]> Points(ExperimentChart chart)
    {
        var all = new List<(double, double)?[]>(chart.Series.Count);
        foreach (var series in chart.Series)
        {
            int n = Math.Min(series.X.Count, series.Y.Count);
            var points = new (double, double)?[n];
            for (int i = 0; i < n; i++)
            {
                double px = series.X[i], py = series.Y[i];
                bool drawable = double.IsFinite(px) && double.IsFinite(py) && (!chart.LogY || py > 0);
                points[i] = drawable ? (px, chart.LogY ? Math.Log10(py) : py) : null;
            }

            all.Add(points);
        }

        return all;
    }

    private static bool Range(List<(double X, double Y)?[]> series, out (double Min, double Max) x, out (double Min, double Max) y)
    {
        x = (double.PositiveInfinity, double.NegativeInfinity);
        y = x;
        foreach (var points in series)
        {
            foreach (var p in points)
            {
                if (p is not { } q)
                    continue;
                x = (Math.Min(x.Min, q.X), Math.Max(x.Max, q.X));
                y = (Math.Min(y.Min, q.Y), Math.Max(y.Max, q.Y));
            }
        }

        return x.Min <= x.Max;
    }

    private static void Axes(StringBuilder svg, ExperimentChart chart, Plot plot)
    {
        double bottom = Height - Bottom, right = Width - Right;
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{bottom}\" x2=\"{right}\" y2=\"{bottom}\" stroke=\"#333\"/>"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{bottom}\" stroke=\"#333\"/>"));
        foreach (double t in plot.XTicks)
        {
            double px = plot.PixelX(t);
            svg.Append(Invariant($"<line x1=\"{px:F1}\" y1=\"{bottom}\" x2=\"{px:F1}\" y2=\"{bottom + 5}\" stroke=\"#333\"/>"));
            svg.Append(Invariant($"<text x=\"{px:F1}\" y=\"{bottom + 18}\" text-anchor=\"middle\" class=\"tick\">{Ticks.Label(t)}</text>"));
        }

        foreach (double t in plot.YTicks)
        {
            double py = plot.PixelY(t);
            string label = plot.LogY ? "1e" + t.ToString("0", CultureInfo.InvariantCulture) : Ticks.Label(t);
            svg.Append(Invariant($"<line x1=\"{Left - 5}\" y1=\"{py:F1}\" x2=\"{right}\" y2=\"{py:F1}\" stroke=\"#ddd\"/>"));
            svg.Append(Invariant($"<text x=\"{Left - 8}\" y=\"{py + 4:F1}\" text-anchor=\"end\" class=\"tick\">{label}</text>"));
        }

        svg.Append(Invariant($"<text x=\"{(Left + right) / 2}\" y=\"{Height - 8}\" text-anchor=\"middle\" class=\"axis\">{Escape(chart.XLabel)}</text>"));
        string yLabel = Escape(chart.YLabel) + (plot.LogY ? " (log scale)" : "");
        svg.Append(Invariant($"<text transform=\"translate(16 {(Top + bottom) / 2}) rotate(-90)\" text-anchor=\"middle\" class=\"axis\">{yLabel}</text>"));
    }

    // A polyline per run of drawable points; a lone point gets a dot.
    private static void Series(StringBuilder svg, (double X, double Y)?[] points, Plot plot, string colour)
    {
        var run = new List<string>();
        for (int i = 0; i <= points.Length; i++)
        {
            if (i < points.Length && points[i] is { } p)
            {
                run.Add(Invariant($"{plot.PixelX(p.X):F1},{plot.PixelY(p.Y):F1}"));
                if (points.Length <= 40)
                    svg.Append(Invariant($"<circle cx=\"{plot.PixelX(p.X):F1}\" cy=\"{plot.PixelY(p.Y):F1}\" r=\"3\" fill=\"{colour}\"/>"));
                continue;
            }

            if (run.Count > 1)
                svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', run)}\"/>"));
            run.Clear();
        }
    }

    private static void Legend(StringBuilder svg, ExperimentChart chart)
    {
        double x = Width - Right + 16;
        for (int s = 0; s < chart.Series.Count; s++)
        {
            double y = Top + 8 + (s * 20);
            string colour = Palette[s % Palette.Length];
            svg.Append(Invariant($"<rect x=\"{x}\" y=\"{y - 9}\" width=\"14\" height=\"4\" fill=\"{colour}\"/>"));
            svg.Append(Invariant($"<text x=\"{x + 20}\" y=\"{y - 3}\" class=\"legend\">{Escape(chart.Series[s].Name)}</text>"));
        }
    }

    internal static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    // Data to pixels; log axes are in log10 units already.
    private sealed class Plot
    {
        public Plot((double Min, double Max) x, (double Min, double Max) y, bool logY)
        {
            LogY = logY;
            XTicks = Ticks.Nice(x.Min, x.Max, out _xMin, out _xMax);
            YTicks = logY ? Ticks.Decades(y.Min, y.Max, out _yMin, out _yMax) : Ticks.Nice(y.Min, y.Max, out _yMin, out _yMax);
        }

        private readonly double _xMin, _xMax, _yMin, _yMax;

        public bool LogY { get; }

        public IReadOnlyList<double> XTicks { get; }

        public IReadOnlyList<double> YTicks { get; }

        public double PixelX(double x) => Left + ((x - _xMin) / (_xMax - _xMin) * (Width - Left - Right));

        public double PixelY(double y) => Height - Bottom - ((y - _yMin) / (_yMax - _yMin) * (Height - Top - Bottom));
    }
}
