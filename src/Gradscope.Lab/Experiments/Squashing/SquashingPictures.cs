using System.Globalization;

namespace Gradscope.Lab.Experiments;

/// <summary>The squashing experiment's charts (sensitivity and spread per layer, log scale) and grid images.</summary>
internal static class SquashingPictures
{
    /// <summary>The depth whose networks are drawn layer by layer.</summary>
    public const int ImageDepth = 10;

    public static IReadOnlyList<ExperimentChart> Charts(IReadOnlyList<SquashingCell> cells)
    {
        var charts = new List<ExperimentChart>();
        foreach (int depth in Depths(cells))
        {
            var series = new List<ChartSeries>();
            foreach (var cell in cells)
            {
                if (cell.Depth != depth)
                    continue;
                int last = depth - 1;
                series.Add(PerLayer($"{cell.Family.Label}: move at 100%", depth, l => cell.GeoMean(m => m.Movement100[l] / m.Movement100[last])));
                series.Add(PerLayer($"{cell.Family.Label}: per-example gradient", depth, l => cell.GeoMean(m => m.ExampleGradientRms[l] / m.ExampleGradientRms[last])));
            }

            charts.Add(new ExperimentChart(
                $"Depth {Text(depth)}: logits' movement when one layer's weights get W + D (||D|| = ||W||), and that layer's gradient, relative to the last hidden layer",
                "perturbed layer", "relative to last hidden layer", LogY: true, series));
        }

        var spreads = new List<ChartSeries>();
        var correlations = new List<ChartSeries>();
        int deepest = Depths(cells)[^1];
        foreach (var cell in cells)
        {
            spreads.Add(PerLayer($"{cell.Family.Label} depth {Text(cell.Depth)}", cell.Depth, l => cell.GeoMean(m => m.Spread[l] / m.InputSpread)));
            if (cell.Depth == deepest)
            {
                correlations.Add(PerLayer($"{cell.Family.Label}: measured", cell.Depth, l => cell.Mean(m => m.MeasuredCorrelation[l])));
                correlations.Add(PerLayer($"{cell.Family.Label}: mean-field", cell.Depth, l => cell.Mean(m => m.PredictedCorrelation[l])));
            }
        }

        charts.Add(new ExperimentChart("The grid's spread after each hidden layer, relative to the input grid's", "layer", "spread / input spread", LogY: true, spreads));
        charts.Add(new ExperimentChart($"Depth {Text(deepest)}: correlation of pairs of grid points' pre-activations, measured and mean-field", "layer", "c (uncentred)", LogY: false, correlations));
        return charts;
    }

    /// <summary>For the depth-10 networks of the first seed: the grid's image at layers 1, 3, 5, 10 (the most varying unit, centred).</summary>
    public static IReadOnlyList<ExperimentImage> Images(IReadOnlyList<SquashingCell> cells, int side)
    {
        var images = new List<ExperimentImage>();
        foreach (var cell in cells)
        {
            if (cell.Depth != ImageDepth)
                continue;
            var m = cell.Seeds[0];
            foreach (int layer in SquashingMeasurement.ImageLayers)
            {
                if (!m.Images.TryGetValue(layer, out var values))
                    continue;
                double std = Math.Sqrt(MeanSquare(values));
                string title = $"{cell.Family.Label}, depth {Text(cell.Depth)}, layer {Text(layer)}: its most varying unit over the input grid [-2, 2]^2, centred (std {std.ToString("0.0e+00", CultureInfo.InvariantCulture)})";
                images.Add(new ExperimentImage(title, side, side, values));
            }
        }

        return images;
    }

    private static ChartSeries PerLayer(string name, int depth, Func<int, double> value)
    {
        var x = new double[depth];
        var y = new double[depth];
        for (int l = 0; l < depth; l++)
        {
            x[l] = l + 1;
            y[l] = value(l);
        }

        return new ChartSeries(name, x, y);
    }

    private static List<int> Depths(IReadOnlyList<SquashingCell> cells)
    {
        var depths = new List<int>();
        foreach (var cell in cells)
        {
            if (!depths.Contains(cell.Depth))
                depths.Add(cell.Depth);
        }

        depths.Sort();
        return depths;
    }

    private static double MeanSquare(double[] values)
    {
        double sum = 0;
        foreach (double v in values)
            sum += v * v;
        return sum / values.Length;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
