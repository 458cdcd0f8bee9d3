using System.Globalization;

namespace Gradscope.Lab.Experiments;

/// <summary>Turns the two runs of the He et al. (2015) comparison into tables, charts and checked expectations.</summary>
internal static class He2015Report
{
    private static readonly string[] Notes =
    [
        "E[x_l^2]/E[x_0^2]: mean square of hidden layer l's output (after ReLU) over 1000 training rows and all units, at initialization, over the standardized input's; He et al.'s eq. 10 predicts (n Var[w] / 2)^l: 2^-l for Xavier, 1 for He. Biases start at 0.",
        "Xavier / He: with the same seed both networks draw the same normal numbers, He's scaled by sqrt 2; ReLU is positively homogeneous and the biases are 0, so every He activation is 2^(l/2) times the Xavier one and this column is 2^-l to rounding. The finite-width drift both share (width 64 in the quick version) shows in the He column.",
        "Xavier is taken in He et al.'s sense, variance 1/n_in (their n_l Var[w_l] = 1): Gradscope's lecun-normal, N(0, 1/n_in). glorot-normal's 2/(n_in + n_out) is the same for the equal-width hidden layers but not for the first. He is he-normal, N(0, 2/n_in).",
        "start loss: median of the first 10 steps' batch losses (ln 10 = 2.303 at chance); loss: the last epoch's mean training loss; held-out accuracy: Fashion-MNIST's official test set, digits' 20% test split.",
        "Where we differ: He et al. trained a 30-layer convolutional network on ImageNet for many epochs (Fig. 3, where Xavier \"completely stalls\"); we use fully connected ReLU layers on Fashion-MNIST (quick: 30 x 64 on the built-in 8x8 digits) for a short budget, float32, SGD with momentum 0.9, learning rate 0.01, batch 128, as the issue sets.",
    ];

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The result of the comparison.</summary>
    public static ExperimentResult Create(string name, bool quick, He2015Trial xavier, He2015Trial he)
    {
        int width = He2015Experiment.Width(quick);
        return new ExperimentResult
        {
            Experiment = name,
            Setup = string.Create(C, $"{He2015Experiment.Data(quick)}, {He2015Experiment.Depth} fully connected ReLU layers of {width}, SGD momentum 0.9 lr 0.01 batch 128, " +
                $"{He2015Experiment.Epochs(quick)} epochs, float32, seed {xavier.Run.Spec.Seed}{(quick ? " (quick)" : "")}"),
            Cells = CellTable(xavier, he),
            Tables = [SignalTable(xavier, he)],
            Expectations =
            [
                He2015Expectations.SignalSlope("Xavier: the forward signal halves per layer", xavier, -1),
                He2015Expectations.SignalSlope("He: the forward signal stays level", he, 0),
                He2015Expectations.Stalls(xavier),
                He2015Expectations.Trains(he),
            ],
            Notes = Notes,
            Charts = [SignalChart(xavier, he), LossChart(xavier, he)],
            Runs = [new ExperimentRun($"xavier {xavier.Init} 30x{width}", xavier.Run), new ExperimentRun($"he {he.Init} 30x{width}", he.Run)],
        };
    }

    private static ResultTable CellTable(He2015Trial xavier, He2015Trial he)
    {
        ResultColumn[] columns =
        [
            new("init", "init"), new("initializer", "initializer"), new("signal_log2_slope", "log2 signal per layer"), new("signal_last", "E[x_30^2]/E[x_0^2]"),
            new("start_loss", "start loss"), new("loss", "loss"), new("loss_change", "loss change"), new("train_accuracy", "train acc"),
            new("test_accuracy", "held-out acc"), new("status", "status"),
        ];
        var rows = new List<IReadOnlyList<ResultValue>>();
        foreach (var t in new[] { xavier, he })
        {
            rows.Add([
                ResultValue.Of(t.Label), ResultValue.Of(t.Init), ResultValue.Fixed(t.Log2SlopePerLayer, 3), ResultValue.Scientific(t.MeanSquareRatios[^1]),
                ResultValue.Fixed(t.StartLoss, 4), ResultValue.Fixed(t.EpochLosses.Count == 0 ? double.NaN : t.EpochLosses[^1], 4),
                ResultValue.Percent(t.FinalLossRatio - 1), ResultValue.Percent(t.TrainAccuracy), ResultValue.Percent(t.TestAccuracy),
                ResultValue.Of(t.Run.Training.Status.ToString().ToLowerInvariant()),
            ]);
        }

        return ResultTable.Create("Per initialization", columns, rows);
    }

    private static ResultTable SignalTable(He2015Trial xavier, He2015Trial he)
    {
        ResultColumn[] columns = [new("layer", "layer"), new("xavier", "Xavier"), new("predicted_xavier", "2^-l"), new("he", "He"), new("xavier_over_he", "Xavier / He")];
        var rows = new List<IReadOnlyList<ResultValue>>();
        for (int l = 0; l < xavier.MeanSquareRatios.Count; l++)
        {
            rows.Add([ResultValue.Integer(l + 1), ResultValue.Scientific(xavier.MeanSquareRatios[l]), ResultValue.Scientific(Math.Pow(2, -(l + 1))),
                ResultValue.Fixed(he.MeanSquareRatios[l], 3), ResultValue.Scientific(xavier.MeanSquareRatios[l] / he.MeanSquareRatios[l])]);
        }

        return ResultTable.Create("Forward signal at initialization: E[x_l^2] / E[x_0^2] per hidden layer", columns, rows);
    }

    private static ExperimentChart SignalChart(He2015Trial xavier, He2015Trial he)
    {
        var layers = Enumerable.Range(1, xavier.MeanSquareRatios.Count).Select(l => (double)l).ToArray();
        return new ExperimentChart("Forward signal at initialization, relative to the input", "hidden layer", "E[x_l^2] / E[x_0^2]", true,
        [
            new ChartSeries("Xavier (lecun-normal)", layers, xavier.MeanSquareRatios),
            new ChartSeries("2^-l", layers, layers.Select(l => Math.Pow(2, -l)).ToArray()),
            new ChartSeries("He (he-normal)", layers, he.MeanSquareRatios),
        ]);
    }

    private static ExperimentChart LossChart(He2015Trial xavier, He2015Trial he) =>
        new("Training loss per step", "step", "batch loss", false, [LossSeries(xavier), LossSeries(he)]);

    private static ChartSeries LossSeries(He2015Trial trial)
    {
        var trace = trial.Run.Trace;
        var x = new double[trace.StepCount];
        var y = new double[trace.StepCount];
        for (int s = 0; s < x.Length; s++)
            (x[s], y[s]) = (trace.StepNumber(s), trace.Loss(s));
        return new ChartSeries($"{trial.Label} ({trial.Init})", x, y);
    }
}
