using System.Globalization;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// Why residual networks exist (He et al. 2016): deep sigmoid networks on the built-in 3-class
/// spiral at growing depth, plain against residual, batch-normalized (Ioffe and Szegedy 2015) and
/// both, trained alike. Expected: the plain network loses orders of magnitude of gradient toward
/// the input and its loss stalls at ln 3 (chance), while the residual and normalized networks train.
/// </summary>
public sealed class ResidualVsPlainExperiment : IExperiment
{
    /// <inheritdoc/>
    public string Name => "residual-vs-plain";

    /// <inheritdoc/>
    public string Summary => "plain vs residual vs batch-normalized deep sigmoid networks at growing depth";

    /// <inheritdoc/>
    public IReadOnlyList<string> Papers { get; } = ["He et al. (2016)", "Ioffe and Szegedy (2015)"];

    /// <inheritdoc/>
    public ExperimentResult Run(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new ResidualVsPlainOptions
        {
            Quick = settings.Quick,
            Seed = settings.Seed,
            Workers = settings.Workers,
            Cancellation = settings.Cancellation,
        };
        var rows = ResidualVsPlainRuns.Run(options, row => settings.Report(string.Create(CultureInfo.InvariantCulture,
            $"depth {row.Depth,-4} {row.Variant,-20} loss {row.Loss,7:F4}  ({row.Seconds:F1} s)")));
        var runs = new List<ExperimentRun>(rows.Count);
        foreach (var row in rows)
            runs.Add(new ExperimentRun($"{row.Variant} depth {row.Depth}", row.Run));
        return new ExperimentResult
        {
            Experiment = Name,
            Setup = Setup(options),
            Cells = Table(rows),
            Expectations = ResidualVsPlainExpectations.Check(rows),
            Notes = Notes,
            Charts = [ByDepth(rows, r => r.Loss, "final training loss by depth (chance: ln 3)", "final loss", logY: false),
                ByDepth(rows, r => r.FirstToLastRatio, "first over last layer gradient at the start, by depth", "first/last delta_rms", logY: true)],
            Runs = runs,
        };
    }

    private static string Setup(ResidualVsPlainOptions o) => string.Create(CultureInfo.InvariantCulture,
        $"spiral (3 classes), depth = {string.Join(", ", ResidualVsPlainRuns.Depths(o.Quick))} x {o.Width}, {o.Activation}; " +
        $"{string.Join(", ", ResidualVsPlainRuns.AllVariants)}; Adam lr {o.LearningRate}, {o.Epochs} epochs, float64, seed {o.Seed}");

    private static readonly string[] Notes =
    [
        "first/last grad: first over last dense layer's delta_rms, median over the early steps; orders lost: log10 of last over first at the start",
        string.Create(CultureInfo.InvariantCulture, $"final loss and accuracy: training split, last epoch; chance loss ln 3 = {ResidualVsPlainExpectations.ChanceLoss:F4}"),
        "He et al. (2016) show the degradation of plain networks on ImageNet/CIFAR with ReLU and batch norm; this is the same effect made stark with sigmoid on a small task, so no paper number is beside ours",
    ];

    internal static ResultTable Table(IReadOnlyList<ResidualVsPlainRow> rows)
    {
        ResultColumn[] columns =
        [
            new("depth", "depth"), new("variant", "variant"), new("first_to_last_ratio", "first/last grad"),
            new("orders_lost", "orders lost"), new("final_loss", "final loss"), new("accuracy", "accuracy"), new("findings", "findings"),
        ];
        var cells = new List<IReadOnlyList<ResultValue>>(rows.Count);
        foreach (var r in rows)
        {
            cells.Add([ResultValue.Integer(r.Depth), ResultValue.Of(r.Variant), ResultValue.Scientific(r.FirstToLastRatio),
                ResultValue.Fixed(r.OrdersLost, 1), ResultValue.Fixed(r.Loss, 4), ResultValue.Percent(r.Accuracy), FindingKinds.Cell(r.Findings)]);
        }

        return ResultTable.Create("plain vs residual vs batch norm, by depth", columns, cells);
    }

    // One curve per variant against depth: the plain loss sits at ln 3 from depth 20, its gradient ratio falls by orders.
    private static ExperimentChart ByDepth(IReadOnlyList<ResidualVsPlainRow> rows, Func<ResidualVsPlainRow, double> value, string title, string yLabel, bool logY)
    {
        var series = new List<ChartSeries>();
        foreach (string variant in ResidualVsPlainRuns.AllVariants)
        {
            var x = new List<double>();
            var y = new List<double>();
            foreach (var r in rows)
            {
                if (r.Variant != variant)
                    continue;
                x.Add(r.Depth);
                y.Add(value(r));
            }

            if (x.Count > 0)
                series.Add(new ChartSeries(variant, x, y));
        }

        return new ExperimentChart(title, "depth", yLabel, logY, series);
    }
}
