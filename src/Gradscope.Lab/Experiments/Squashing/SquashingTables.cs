using System.Globalization;

namespace Gradscope.Lab.Experiments;

/// <summary>The squashing experiment's tables: one summary row per cell, and per-layer detail.</summary>
internal static class SquashingTables
{
    public static ResultTable Cells(IReadOnlyList<SquashingCell> cells)
    {
        ResultColumn[] columns =
        [
            new("activation", "activation"), new("depth", "depth"), new("seeds", "seeds"),
            new("sensitivity_ratio_10", "first/last move 10%"), new("sensitivity_ratio_100", "first/last move 100%"),
            new("sensitivity_ratio_100_min", "min over seeds"), new("sensitivity_ratio_100_max", "max over seeds"),
            new("gradient_ratio", "first/last grad"), new("example_gradient_ratio", "per-example"), new("last_hidden_spread", "last hidden spread / input"),
            new("output_spread", "logits spread / input"), new("layers_to_c99", "layers to c>0.99"),
            new("layers_to_c99_predicted", "mean-field"),
        ];
        var rows = new List<IReadOnlyList<ResultValue>>();
        foreach (var cell in cells)
        {
            var (min, max) = cell.Range(m => SquashingCell.SensitivityRatio(m, full: true));
            rows.Add(
            [
                ResultValue.Of(cell.Family.Label), ResultValue.Integer(cell.Depth), ResultValue.Integer(cell.Seeds.Count),
                ResultValue.Scientific(cell.GeoMean(m => SquashingCell.SensitivityRatio(m, full: false))),
                ResultValue.Scientific(cell.GeoMean(m => SquashingCell.SensitivityRatio(m, full: true))),
                ResultValue.Scientific(min), ResultValue.Scientific(max),
                ResultValue.Scientific(cell.GeoMean(SquashingCell.GradientRatio)),
                ResultValue.Scientific(cell.GeoMean(SquashingCell.ExampleGradientRatio)),
                ResultValue.Scientific(cell.GeoMean(m => m.Spread[m.Depth - 1] / m.InputSpread)),
                ResultValue.Scientific(cell.GeoMean(m => m.Spread[m.Depth] / m.InputSpread)),
                LayerCount(cell, predicted: false),
                LayerCount(cell, predicted: true),
            ]);
        }

        return ResultTable.Create("Per network (untrained): first hidden layer vs last hidden layer, and the grid's spread", columns, rows);
    }

    /// <summary>Table (1): per layer, how far the logits move when that layer is perturbed, beside its gradient.</summary>
    public static ResultTable Sensitivity(SquashingCell cell)
    {
        ResultColumn[] columns =
        [
            new("layer", "layer"), new("movement_10", "move 10%"), new("movement_100", "move 100%"),
            new("relative_10", "vs last hidden 10%"), new("relative_100", "vs last hidden 100%"),
            new("gradient_rms", "grad rms"), new("gradient_ratio", "grad vs last hidden"),
            new("example_gradient_ratio", "per-example grad vs last hidden"),
        ];
        int last = cell.Depth - 1;
        var rows = new List<IReadOnlyList<ResultValue>>();
        for (int l = 0; l <= cell.Depth; l++)
        {
            rows.Add(
            [
                LayerName(l, cell.Depth),
                ResultValue.Scientific(cell.GeoMean(m => m.Movement10[l])),
                ResultValue.Scientific(cell.GeoMean(m => m.Movement100[l])),
                ResultValue.Scientific(cell.GeoMean(m => m.Movement10[l] / m.Movement10[last])),
                ResultValue.Scientific(cell.GeoMean(m => m.Movement100[l] / m.Movement100[last])),
                ResultValue.Scientific(cell.GeoMean(m => m.GradientRms[l])),
                ResultValue.Scientific(cell.GeoMean(m => m.GradientRms[l] / m.GradientRms[last])),
                ResultValue.Scientific(cell.GeoMean(m => m.ExampleGradientRms[l] / m.ExampleGradientRms[last])),
            ]);
        }

        return ResultTable.Create($"Sensitivity per layer: {cell.Family.Label}, depth {cell.Depth}", columns, rows);
    }

    /// <summary>Table (2): per layer, the grid's spread and how alike pairs of its points have become.</summary>
    public static ResultTable Spread(SquashingCell cell)
    {
        ResultColumn[] columns =
        [
            new("layer", "layer"), new("spread_ratio", "spread / input's"), new("cumulative_spread", "spread / grid's"),
            new("relative_spread", "spread / size"),
            new("correlation", "measured c"), new("correlation_predicted", "mean-field c"),
        ];
        var rows = new List<IReadOnlyList<ResultValue>>();
        for (int l = 0; l <= cell.Depth; l++)
        {
            bool hidden = l < cell.Depth;
            rows.Add(
            [
                LayerName(l, cell.Depth),
                ResultValue.Scientific(cell.GeoMean(m => SquashingCell.SpreadRatio(m, l))),
                ResultValue.Scientific(cell.GeoMean(m => m.Spread[l] / m.InputSpread)),
                ResultValue.Scientific(cell.GeoMean(m => m.Spread[l] / m.Size[l])),
                hidden ? ResultValue.Fixed(cell.Mean(m => m.MeasuredCorrelation[l]), 4) : ResultValue.Missing,
                hidden ? ResultValue.Fixed(cell.Mean(m => m.PredictedCorrelation[l]), 4) : ResultValue.Missing,
            ]);
        }

        return ResultTable.Create($"Shrinking regions per layer: {cell.Family.Label}, depth {cell.Depth}", columns, rows);
    }

    private static ResultValue LayerName(int l, int depth) =>
        ResultValue.Of(l == depth ? "logits" : (l + 1).ToString(CultureInfo.InvariantCulture));

    // The mean over seeds of the layers until c > 0.99; missing when some seed's network never gets there.
    private static ResultValue LayerCount(SquashingCell cell, bool predicted)
    {
        double sum = 0;
        foreach (var m in cell.Seeds)
        {
            if (SquashingCell.LayersUntilIndistinguishable(predicted ? m.PredictedCorrelation : m.MeasuredCorrelation) is not { } layers)
                return ResultValue.Missing;
            sum += layers;
        }

        return ResultValue.Fixed(sum / cell.Seeds.Count, 1);
    }
}
