using System.Globalization;
using System.Text;
using Gradscope.Lab.Experiments;

namespace Gradscope.Lab.Reports.Experiments;

/// <summary>
/// An <see cref="ExperimentImage"/> as inline SVG: one rectangle per value, grey from black (its
/// smallest finite value) to white (its largest); non-finite values in red. Large grids are drawn
/// at fewer pixels per cell so the page stays small.
/// </summary>
internal static class SvgImage
{
    private const double MaxSide = 320;

    public static string Render(ExperimentImage image)
    {
        int w = Math.Max(0, image.Width), h = Math.Max(0, image.Height);
        int count = Math.Min(image.Values.Count, w * h);
        double cell = w == 0 || h == 0 ? 1 : Math.Max(1, Math.Floor(MaxSide / Math.Max(w, h)));
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"image\" width=\"{w * cell}\" height=\"{h * cell}\" viewBox=\"0 0 {w * cell} {h * cell}\" shape-rendering=\"crispEdges\">"));
        svg.Append("<title>").Append(SvgLineChart.Escape(image.Title)).Append("</title>");
        var (min, max) = Range(image.Values, count);
        for (int i = 0; i < count; i++)
        {
            double v = image.Values[i];
            string fill = double.IsFinite(v) ? Grey(v, min, max) : "#d00";
            svg.Append(Invariant($"<rect x=\"{i % w * cell}\" y=\"{i / w * cell}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\"/>"));
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static (double Min, double Max) Range(IReadOnlyList<double> values, int count)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int i = 0; i < count; i++)
        {
            if (!double.IsFinite(values[i]))
                continue;
            min = Math.Min(min, values[i]);
            max = Math.Max(max, values[i]);
        }

        return (min, max);
    }

    private static string Grey(double v, double min, double max)
    {
        double t = max > min ? (v - min) / (max - min) : 0.5;
        int g = (int)Math.Round(t * 255);
        return "#" + g.ToString("x2", CultureInfo.InvariantCulture) + g.ToString("x2", CultureInfo.InvariantCulture) + g.ToString("x2", CultureInfo.InvariantCulture);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
