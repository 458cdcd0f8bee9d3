using System.Globalization;

namespace Gradscope.Lab.Experiments;

/// <summary>One (activation, depth) cell of the depth scan: its seeds' trials and their summaries.</summary>
internal sealed record DepthScanCell(DepthScanArm Arm, int Depth, IReadOnlyList<DepthScanTrial> Trials)
{
    /// <summary>Orders lost over the seeds.</summary>
    public SeedSummary Orders => SeedSummary.Of(Trials.Select(t => t.OrdersLost).ToArray());

    /// <summary>log10(first / last update ratio) over the seeds.</summary>
    public SeedSummary UpdateGap => SeedSummary.Of(Trials.Select(t => t.UpdateGapOrders).ToArray());

    /// <summary>Final training loss over the seeds.</summary>
    public SeedSummary Loss => SeedSummary.Of(Trials.Select(t => t.Loss).ToArray());

    /// <summary>Final training accuracy over the seeds.</summary>
    public SeedSummary Accuracy => SeedSummary.Of(Trials.Select(t => t.Accuracy).ToArray());
}

/// <summary>Turns the depth scan's trials into its tables, charts and checked expectations.</summary>
internal static class DepthScanReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The result of the scan.</summary>
    public static ExperimentResult Create(string name, bool quick, IReadOnlyList<int> depths, int epochs, IReadOnlyList<DepthScanTrial> trials)
    {
        var cells = Cells(depths, trials);
        var expectations = new List<ExpectationResult>();
        var fitRows = new List<IReadOnlyList<ResultValue>>();
        var x = depths.Select(d => (double)d).ToArray();
        foreach (var arm in DepthScanExperiment.Arms)
        {
            var armCells = cells.Where(c => c.Arm == arm).ToArray();
            var fit = LineFit.Through(x, armCells.Select(c => c.Orders.Mean).ToArray());
            var (chi1, perLayer) = DepthScanExperiment.Theory(arm);
            fitRows.Add([ResultValue.Of(arm.Activation), ResultValue.Of(arm.Init), ResultValue.Fixed(fit.Slope, 3), ResultValue.Fixed(perLayer, 3),
                ResultValue.Fixed(fit.Intercept, 2), ResultValue.Fixed(fit.RSquared, 4), ResultValue.Scientific(chi1)]);
            if (arm.Activation == "relu")
            {
                expectations.Add(DepthScanExpectations.StaysUnder(arm.Label, depths, armCells.Select(c => c.Orders).ToArray()));
                continue;
            }

            expectations.Add(DepthScanExpectations.GrowsLinearly(arm.Label, fit, perLayer, depths[0], depths[^1]));
            if (arm.Activation == "sigmoid")
                expectations.Add(DepthScanExpectations.UpdatesFallBehind(arm.Label, depths, armCells.Select(c => c.UpdateGap).ToArray()));
        }

        int seeds = cells[0].Trials.Count;
        return new ExperimentResult
        {
            Experiment = name,
            Setup = string.Create(C, $"spiral (3 classes, 720 training points), hidden layers of {DepthScanExperiment.Width} units at depths {string.Join(", ", depths)}; " +
                $"plain SGD lr {DepthScanExperiment.LearningRate}, batch 64, {epochs} epochs; float64; {seeds} seed(s) per cell{(quick ? " (quick)" : "")}"),
            Cells = CellTable(cells),
            Tables = [ResultTable.Create("Orders lost vs depth: least-squares line per activation, beside mean-field theory", FitColumns, fitRows)],
            Expectations = expectations,
            Notes = Notes,
            Charts = [OrdersChart(cells, depths), UpdateChart(cells, depths)],
            Runs = trials.Select(t => new ExperimentRun(t.Name, t.Run)).ToArray(),
        };
    }

    /// <summary>The trials grouped into cells, in arm then depth order.</summary>
    public static IReadOnlyList<DepthScanCell> Cells(IReadOnlyList<int> depths, IReadOnlyList<DepthScanTrial> trials)
    {
        var cells = new List<DepthScanCell>();
        foreach (var arm in DepthScanExperiment.Arms)
        {
            foreach (int depth in depths)
                cells.Add(new DepthScanCell(arm, depth, trials.Where(t => t.Arm == arm && t.Depth == depth).OrderBy(t => t.Seed).ToArray()));
        }

        return cells;
    }

    private static readonly ResultColumn[] FitColumns =
    [
        new("activation", "activation"), new("init", "init"), new("slope", "slope (orders/layer)"), new("theory_slope", "theory -0.5 log10 chi_1"),
        new("intercept", "intercept"), new("r_squared", "R^2"), new("chi_1", "chi_1"),
    ];

    private static ResultTable CellTable(IReadOnlyList<DepthScanCell> cells)
    {
        ResultColumn[] columns =
        [
            new("activation", "activation"), new("init", "init"), new("depth", "depth"), new("seeds", "seeds"),
            new("orders_lost", "orders lost"), new("orders_lost_sd", "sd"), new("theory_orders", "theory"),
            new("update_gap", "log10 update first/last"), new("update_gap_sd", "sd"), new("loss", "loss"), new("accuracy", "train acc"),
        ];
        var rows = new List<IReadOnlyList<ResultValue>>();
        foreach (var cell in cells)
        {
            var (_, perLayer) = DepthScanExperiment.Theory(cell.Arm);
            rows.Add([
                ResultValue.Of(cell.Arm.Activation), ResultValue.Of(cell.Arm.Init), ResultValue.Integer(cell.Depth), ResultValue.Integer(cell.Trials.Count),
                ResultValue.Fixed(cell.Orders.Mean), ResultValue.Fixed(cell.Orders.Spread), ResultValue.Fixed(perLayer * (cell.Depth - 1)),
                ResultValue.Fixed(cell.UpdateGap.Mean, 1), ResultValue.Fixed(cell.UpdateGap.Spread, 1),
                ResultValue.Fixed(cell.Loss.Mean, 3), ResultValue.Percent(cell.Accuracy.Mean),
            ]);
        }

        return ResultTable.Create("Per activation and depth (mean over seeds, sd = sample standard deviation)", columns, rows);
    }

    private static ExperimentChart OrdersChart(IReadOnlyList<DepthScanCell> cells, IReadOnlyList<int> depths)
    {
        var x = depths.Select(d => (double)d).ToArray();
        var series = new List<ChartSeries>();
        foreach (var arm in DepthScanExperiment.Arms)
        {
            series.Add(new ChartSeries(arm.Label, x, cells.Where(c => c.Arm == arm).Select(c => c.Orders.Mean).ToArray()));
            double perLayer = DepthScanExperiment.Theory(arm).OrdersPerLayer;
            series.Add(new ChartSeries($"{arm.Activation} theory", x, x.Select(d => perLayer * (d - 1)).ToArray()));
        }

        return new ExperimentChart("Orders of magnitude of gradient lost from the last hidden layer to the first", "depth", "orders lost (log10)", false, series);
    }

    // The deepest depth up to 20: deep enough to show the slope, shallow enough for ReLU's ratios to stay readable.
    private static ExperimentChart UpdateChart(IReadOnlyList<DepthScanCell> cells, IReadOnlyList<int> depths)
    {
        int depth = depths.Where(d => d <= 20).DefaultIfEmpty(depths[0]).Max();
        var layers = Enumerable.Range(1, depth).Select(l => (double)l).ToArray();
        var series = new List<ChartSeries>();
        foreach (var cell in cells.Where(c => c.Depth == depth))
        {
            // Geometric mean over seeds: the ratios span many orders of magnitude.
            var mean = new double[depth];
            for (int l = 0; l < depth; l++)
                mean[l] = Math.Pow(10, cell.Trials.Average(t => Math.Log10(t.UpdateRatios[l])));
            series.Add(new ChartSeries(cell.Arm.Label, layers, mean));
        }

        return new ExperimentChart($"Update ratio per hidden layer at depth {depth} (early steps, geometric mean over seeds)", "hidden layer", "lr * norm(grad W) / norm(W)", true, series);
    }

    private static readonly string[] Notes =
    [
        "orders lost: log10 of the last hidden layer's delta_rms (RMS of dLoss/d pre-activation) over the first hidden layer's, each the median over the early window (the first 10% of steps, as the vanishing-gradient rule judges); positive = the gradient shrinks toward the input.",
        "theory: mean-field orders per layer -0.5 log10 chi_1, chi_1 = sigma_w^2 E[phi'(h)^2] at the fixed point q* (sigma_b^2 = 0: biases start at 0), times (depth - 1) layer-to-layer steps; standard init U[-1/sqrt(n), 1/sqrt(n)] has sigma_w^2 = n Var[w] = 1/3, He normal 2. For tanh q* = 0, so chi_1 = sigma_w^2 = 1/3; the first few layers, still at q near 1/3 (tanh' below 1 there), sit slightly off that rate.",
        "log10 update first/last: log10 of the first hidden layer's update ratio over the last's, each the median over the early window of lr * norm(grad W) / norm(W) — exactly norm(dW) / norm(W) for plain SGD; taken from the gradient because a deep sigmoid network's first-layer step is below float64's resolution of its weights (W + dW rounds back to W).",
        "A claim of the issue rather than of one paper (the vanishing gradient of Hochreiter 1991 and Bengio et al. 1994, measured as Glorot and Bengio 2010 did per layer); the width (32), the data (the built-in spiral) and the short budget are ours. Loss and train acc are the last epoch's; the expectations judge the start of training only.",
    ];
}
