using System.Globalization;
using Gradscope.Diagnostics;
using Gradscope.Lab.Outputs;
using ScottPlot;

namespace Gradscope.Lab.Reports;

/// <summary>
/// PNG pictures of a trace (ScottPlot): a layers x steps heatmap of log10 <c>delta_rms</c> (the
/// back-propagated gradient, the quantity a vanishing gradient's lost orders are measured on) on a
/// colour scale that several runs can share, and one curve of log10 <c>delta_rms</c> over steps
/// per layer with the legend outside the data. Layers are numbered from 1 at the input side and
/// named by module path.
/// </summary>
public static class GradientPlots
{
    /// <summary>The statistic the pictures show.</summary>
    public const LayerStat Shown = LayerStat.DeltaRms;

    private const int Width = 900;
    private const int Height = 500;
    private const int MaxLayerTicks = 25;

    /// <summary>
    /// Writes <c>{prefix}-heatmap.png</c> and <c>{prefix}-layers.png</c> into
    /// <paramref name="directory"/> (created when missing), each atomically under the
    /// <see cref="OutputFiles"/> policy; returns their paths. The heatmap's colour scale is
    /// <paramref name="range"/> (share one across runs: <see cref="ColorRange.Shared"/>), or this
    /// trace's own when null.
    /// </summary>
    public static IReadOnlyList<string> Write(Trace trace, string directory, string prefix, string title, ColorRange? range = null)
    {
        var files = new OutputFiles();
        var folder = files.AddFolder("png", directory);
        var (heatmap, curves) = FileNames(prefix);
        var heatmapTarget = files.AddFileIn(folder, heatmap);
        var curvesTarget = files.AddFileIn(folder, curves);
        files.Write(heatmapTarget, stream => stream.Write(HeatmapPng(trace, title, range)));
        files.Write(curvesTarget, stream => stream.Write(CurvesPng(trace, title)));
        return [heatmapTarget.Given, curvesTarget.Given];
    }

    /// <summary>The file names <see cref="Write"/> gives the heatmap and the per-layer curves.</summary>
    public static (string Heatmap, string Curves) FileNames(string prefix) => ($"{prefix}-heatmap.png", $"{prefix}-layers.png");

    /// <summary>The layers x steps heatmap of log10 <c>delta_rms</c> as PNG bytes, on <paramref name="range"/> (this trace's own when null).</summary>
    public static byte[] HeatmapPng(Trace trace, string title, ColorRange? range = null) =>
        Heatmap(trace, title, range ?? ColorRange.Shared([trace], Shown)).GetImage(Width, Height).GetImageBytes(ImageFormat.Png);

    /// <summary>The per-layer curves of log10 <c>delta_rms</c> as PNG bytes.</summary>
    public static byte[] CurvesPng(Trace trace, string title) => Curves(trace, title).GetImage(Width, Height).GetImageBytes(ImageFormat.Png);

    /// <summary>
    /// log10 of <paramref name="stat"/> (NaN for zero and non-finite values): rows = layers, row 0 =
    /// layer 1 (input side), columns = recorded steps.
    /// </summary>
    public static double[,] Log10(Trace trace, LayerStat stat)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var data = new double[trace.LayerCount, trace.StepCount];
        for (int l = 0; l < trace.LayerCount; l++)
        {
            for (int s = 0; s < trace.StepCount; s++)
            {
                double v = trace[stat, s, l];
                data[l, s] = v > 0 && double.IsFinite(v) ? Math.Log10(v) : double.NaN;
            }
        }

        return data;
    }

    /// <summary>The layer-axis ticks: at y = k for layer k, labelled "k (module path)", thinned to at most 25.</summary>
    public static (double[] Positions, string[] Labels) LayerTicks(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        int every = Math.Max(1, (trace.LayerCount + MaxLayerTicks - 1) / MaxLayerTicks);
        var positions = new List<double>();
        var labels = new List<string>();
        for (int l = 0; l < trace.LayerCount; l += every)
        {
            var layer = LayerRef.At(trace.LayerNames, l);
            positions.Add(layer.Number);
            labels.Add(string.Create(CultureInfo.InvariantCulture, $"{layer.Number} ({layer.Name})"));
        }

        return ([.. positions], [.. labels]);
    }

    private static Plot Heatmap(Trace trace, string title, ColorRange range)
    {
        var plot = new Plot();
        var map = plot.Add.Heatmap(Log10(trace, Shown));
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.ManualRange = new ScottPlot.Range(range.Min, range.Max);
        // Row 0 is layer 1; flipped, it sits at the bottom, where the input is, and the cell of layer k spans k +- 0.5.
        map.FlipVertically = true;
        int lastStep = trace.StepCount == 0 ? 1 : trace.StepNumber(trace.StepCount - 1) + 1;
        map.Rectangle = new CoordinateRect(0, lastStep, 0.5, trace.LayerCount + 0.5);
        plot.Add.ColorBar(map).Label = $"log10 {LayerStatNames.Of(Shown)} (scale shared by the runs shown together)";
        var (positions, labels) = LayerTicks(trace);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plot.Title($"{title}: {LayerStatNames.Of(Shown)} (back-propagated gradient) by layer and step");
        plot.XLabel("training step");
        plot.YLabel("layer (module path), 1 = input side");
        return plot;
    }

    private static Plot Curves(Trace trace, string title)
    {
        var plot = new Plot();
        var steps = new double[trace.StepCount];
        for (int s = 0; s < steps.Length; s++)
            steps[s] = trace.StepNumber(s);
        var data = Log10(trace, Shown);
        int every = Math.Max(1, (trace.LayerCount + MaxLayerTicks - 1) / MaxLayerTicks);
        for (int l = 0; l < trace.LayerCount; l++)
        {
            var values = new double[trace.StepCount];
            for (int s = 0; s < values.Length; s++)
                values[s] = data[l, s];
            var line = plot.Add.ScatterLine(steps, values);
            // Deep networks name every k-th layer, so the legend fits beside the plot; the colours run input to output.
            if (l % every == 0 || l == trace.LayerCount - 1)
                line.LegendText = LayerRef.At(trace.LayerNames, l).ToString();
            line.Color = new ScottPlot.Colormaps.Viridis().GetColor(trace.LayerCount == 1 ? 0 : (double)l / (trace.LayerCount - 1));
        }

        // On the right edge, outside the data area, so no curve hides behind it.
        plot.ShowLegend(Edge.Right);
        plot.Title($"{title}: log10 {LayerStatNames.Of(Shown)} per layer");
        plot.XLabel("training step");
        plot.YLabel($"log10 {LayerStatNames.Of(Shown)}");
        return plot;
    }
}
