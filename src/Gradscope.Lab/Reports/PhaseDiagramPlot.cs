using Gradscope.Lab.Outputs;
using Gradscope.Theory;
using ScottPlot;

namespace Gradscope.Lab.Reports;

/// <summary>
/// The phase diagram as a picture (ScottPlot): log10 xi_c over the (sigma_w^2, sigma_b^2) plane
/// as a heatmap, the critical line chi_1 = 1 on top, and optionally one configuration marked.
/// </summary>
public static class PhaseDiagramPlot
{
    /// <summary>Pixel width of the PNG.</summary>
    public const int Width = 900;

    /// <summary>Pixel height of the PNG.</summary>
    public const int Height = 600;

    /// <summary>Writes the PNG to <paramref name="path"/> (folders created as needed), atomically under the <see cref="OutputFiles"/> policy.</summary>
    /// <param name="diagram">The computed diagram.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="marker">A (sigma_w^2, sigma_b^2) to mark, or null.</param>
    public static void SavePng(PhaseDiagram diagram, string path, (double WeightVariance, double BiasVariance)? marker = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
            Directory.CreateDirectory(directory);
        var files = new OutputFiles();
        files.Write(files.AddFile("png", path), stream => stream.Write(PngBytes(diagram, marker)));
    }

    /// <summary>The PNG's bytes.</summary>
    public static byte[] PngBytes(PhaseDiagram diagram, (double WeightVariance, double BiasVariance)? marker = null) =>
        Build(diagram, marker).GetImage(Width, Height).GetImageBytes(ImageFormat.Png);

    /// <summary>
    /// log10 xi_c per cell, rows = sigma_b^2 (index 0 the smallest), columns = sigma_w^2. Cells where
    /// xi_c is infinite on a real fixed point (exactly critical) get the largest finite value, so the
    /// line stays bright; cells where q* = 0 (correlations undefined, every c is fixed) are NaN.
    /// </summary>
    public static double[,] Log10XiC(PhaseDiagram diagram)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        int rows = diagram.BiasVariances.Length, cols = diagram.WeightVariances.Length;
        var data = new double[rows, cols];
        double max = double.NegativeInfinity;
        for (int b = 0; b < rows; b++)
        {
            for (int w = 0; w < cols; w++)
            {
                double v = diagram.At(b, w).XiC is { } xi && xi > 0 ? Math.Log10(xi) : double.NaN;
                data[b, w] = v;
                if (double.IsFinite(v))
                    max = Math.Max(max, v);
            }
        }

        for (int b = 0; b < rows; b++)
        {
            for (int w = 0; w < cols; w++)
            {
                if (!double.IsFinite(data[b, w]) && diagram.At(b, w) is { XiC: null, FixedPoint: not FixedPointStatus.Zero })
                    data[b, w] = double.IsFinite(max) ? max : 0;
            }
        }

        return data;
    }

    private static Plot Build(PhaseDiagram diagram, (double WeightVariance, double BiasVariance)? marker)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        var plot = new Plot();
        var w = diagram.WeightVariances;
        var b = diagram.BiasVariances;
        var map = plot.Add.Heatmap(Log10XiC(diagram));
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.FlipVertically = true;
        map.NaNCellColor = Colors.LightGray;

        // Position holds the centres of the corner cells, so every cell sits on its grid point.
        map.Position = new CoordinateRect(w[0], w[^1], b[0], b[^1]);
        plot.Add.ColorBar(map).Label = "log10 xi_c (layers)";
        AddCriticalLine(plot, diagram);
        if (marker is { } m)
        {
            var point = plot.Add.Marker(m.WeightVariance, m.BiasVariance, MarkerShape.FilledCircle, 12, Colors.Red);
            point.LegendText = $"your configuration ({m.WeightVariance:G4}, {m.BiasVariance:G4})";
        }

        plot.ShowLegend(Alignment.UpperLeft);
        plot.Title($"{diagram.Activation}: depth scale xi_c and the critical line chi_1 = 1");
        plot.XLabel("sigma_w^2 (weight variance x fan_in)");
        plot.YLabel("sigma_b^2 (bias variance)");
        return plot;
    }

    private static void AddCriticalLine(Plot plot, PhaseDiagram diagram)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (var point in diagram.CriticalLine)
        {
            if (point.WeightVariance is { } wc && wc >= diagram.WeightVariances[0] && wc <= diagram.WeightVariances[^1])
            {
                xs.Add(wc);
                ys.Add(point.BiasVariance);
            }
        }

        if (xs.Count == 0)
            return;
        var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray());
        line.Color = Colors.Black;
        line.LineWidth = 3;
        line.LegendText = "critical line (chi_1 = 1): ordered to the left, chaotic to the right; grey: q* = 0";
    }
}
