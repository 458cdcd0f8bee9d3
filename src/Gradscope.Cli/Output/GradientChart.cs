using System.Text;
using Spectre.Console;

namespace Gradscope.Cli.Output;

/// <summary>
/// A horizontal bar chart of per-layer gradient magnitudes on a log scale, drawn the way the
/// gradient travels: the last layer on top, layer 1 at the bottom. Bars share one scale
/// (<see cref="Floor"/> to <see cref="Ceiling"/>, in log10) so charts of different networks compare.
/// </summary>
internal sealed class GradientChart(double floor, double ceiling, int width = 40)
{
    public double Floor { get; } = floor;

    public double Ceiling { get; } = ceiling;

    /// <summary>A scale covering every positive finite value in <paramref name="series"/>, padded to whole decades.</summary>
    public static GradientChart For(IEnumerable<IReadOnlyList<double>> series)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (var values in series)
        {
            foreach (double v in values)
            {
                if (v > 0 && double.IsFinite(v))
                {
                    low = Math.Min(low, Math.Log10(v));
                    high = Math.Max(high, Math.Log10(v));
                }
            }
        }

        if (!double.IsFinite(low))
            (low, high) = (-1, 0);
        return new GradientChart(Math.Floor(low) - 1, Math.Ceiling(high));
    }

    /// <summary>The chart's lines, top (last layer) to bottom (layer 1); with <paramref name="names"/>, each labelled <c>layer 3 (4)</c>.</summary>
    public IReadOnlyList<string> Lines(IReadOnlyList<double> perLayer, bool markup, IReadOnlyList<string>? names = null)
    {
        var labels = new string[perLayer.Count];
        for (int l = 0; l < labels.Length; l++)
            labels[l] = names is not null && l < names.Count ? $"layer {l + 1,3} ({names[l]})" : $"layer {l + 1,3}";
        int labelWidth = 0;
        foreach (string label in labels)
            labelWidth = Math.Max(labelWidth, label.Length);
        var lines = new List<string>(perLayer.Count + 1);
        for (int l = perLayer.Count - 1; l >= 0; l--)
        {
            double v = perLayer[l];
            int bar = Bar(v);
            string bars = new string('#', bar);
            string label = labels[l].PadRight(labelWidth);
            if (markup)
            {
                bars = $"[{Colour(l, perLayer.Count)}]{new string('█', bar)}[/]";
                label = Markup.Escape(label);
            }

            lines.Add($"{label} |{bars}{new string(' ', width - bar)}| {Format.Sci(v)}");
        }

        lines.Add($"{new string(' ', Math.Max(10, labelWidth + 1))}10^{Floor:0}{new string(' ', Math.Max(1, width - 10))}10^{Ceiling:0}");
        return lines;
    }

    public void Write(Terminal terminal, IReadOnlyList<double> perLayer, IReadOnlyList<string>? names = null)
    {
        var text = new StringBuilder();
        foreach (string line in Lines(perLayer, !terminal.Plain, names))
            text.AppendLine(line);
        if (terminal.Plain)
            terminal.Writer.Write(text.ToString());
        else
            terminal.Console.Markup(text.ToString());
    }

    private int Bar(double v)
    {
        if (!(v > 0) || !double.IsFinite(v))
            return 0;
        double fraction = (Math.Log10(v) - Floor) / (Ceiling - Floor);
        return (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
    }

    private static string Colour(int layer, int count) => layer == 0 ? "red" : layer == count - 1 ? "green" : "blue";
}
