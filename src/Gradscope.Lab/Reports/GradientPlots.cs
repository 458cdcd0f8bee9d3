using Gradscope.Diagnostics;
using Gradscope.Lab.Outputs;
using ScottPlot;

namespace Gradscope.Lab.Reports;

/// <summary>
/// PNG pictures of a trace (ScottPlot): a layers x steps heatmap of log10 gradient RMS, and one
/// curve of log10 gradient RMS over steps per layer.
/// </summary>
public static class GradientPlots
{
    private const int Width = 900;
    private const int Height = 500;

    /// <summary>
    /// Writes <c>{prefix}-heatmap.png</c> and <c>{prefix}-layers.png</c> into
    /// <paramref name="directory"/> (created when missing), each atomically under the
    /// <see cref="OutputFiles"/> policy; returns their paths.
    /// </summary>
    public static IReadOnlyList<string> Write(Trace trace, string directory, string prefix, string title)
    {
        var files = new OutputFiles();
        var folder = files.AddFolder("png", directory);
        var (heatmap, curves) = FileNames(prefix);
        var heatmapTarget = files.AddFileIn(folder, heatmap);
        var curvesTarget = files.AddFileIn(folder, curves);
        files.Write(heatmapTarget, stream => stream.Write(HeatmapPng(trace, title)));
        files.Write(curvesTarget, stream => stream.Write(CurvesPng(trace, title)));
        return [heatmapTarget.Given, curvesTarget.Given];
    }

    /// <summary>The file names <see cref="Write"/> gives the heatmap and the per-layer curves.</summary>
    public static (string Heatmap, string Curves) FileNames(string prefix) => ($"{prefix}-heatmap.png", $"{prefix}-layers.png");

    /// <summary>The layers x steps heatmap of log10 gradient RMS as PNG bytes.</summary>
    public static byte[] HeatmapPng(Trace trace, string title) => Heatmap(trace, title).GetImage(Width, Height).GetImageBytes(ImageFormat.Png);

    /// <summary>The per-layer curves of log10 gradient RMS as PNG bytes.</summary>
    public static byte[] CurvesPng(Trace trace, string title) => Curves(trace, title).GetImage(Width, Height).GetImageBytes(ImageFormat.Png);

    /// <summary>log10 gradient RMS, rows = dense layers (layer 1 at the bottom), columns = steps.</summary>
    public static double[,] Log10GradRms(Trace trace)
    {
        var data = new double[trace.LayerCount, trace.StepCount];
        for (int l = 0; l < trace.LayerCount; l++)
        {
            for (int s = 0; s < trace.StepCount; s++)
            {
                double v = trace[LayerStat.GradRms, s, l];
                data[l, s] = v > 0 && double.IsFinite(v) ? Math.Log10(v) : double.NaN;
            }
        }

        return data;
    }

    private static Plot Heatmap(Trace trace, string title)
    {
        var plot = new Plot();
        var map = plot.Add.Heatmap(Log10GradRms(trace));
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.FlipVertically = true;
        plot.Add.ColorBar(map).Label = "log10 gradient RMS";
        plot.Title($"{title}: gradient RMS by layer and step");
        plot.XLabel("training step");
        plot.YLabel("dense layer (1 = input side)");
        return plot;
    }

    private static Plot Curves(Trace trace, string title)
    {
        var plot = new Plot();
        var steps = new double[trace.StepCount];
        for (int s = 0; s < steps.Length; s++)
            steps[s] = s;
        var data = Log10GradRms(trace);
        for (int l = 0; l < trace.LayerCount; l++)
        {
            var values = new double[trace.StepCount];
            for (int s = 0; s < values.Length; s++)
                values[s] = data[l, s];
            var line = plot.Add.ScatterLine(steps, values);
            line.LegendText = $"layer {l + 1}";
            line.Color = new ScottPlot.Colormaps.Turbo().GetColor(trace.LayerCount == 1 ? 0 : (double)l / (trace.LayerCount - 1));
        }

        plot.ShowLegend(Alignment.UpperRight);
        plot.Title($"{title}: log10 gradient RMS per layer");
        plot.XLabel("training step");
        plot.YLabel("log10 gradient RMS");
        return plot;
    }
}
