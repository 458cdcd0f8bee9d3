using System.Globalization;
using Gradscope.Theory;

namespace Gradscope.Lab.Experiments;

/// <summary>Turns the trainability grids into the catalogue's result: the boundary table, the accuracy grid, expectations, chart, notes.</summary>
internal static class PropagationReport
{
    private static readonly ResultColumn[] Columns =
    [
        new("weight_var", "sigma_w^2"),
        new("chi1", "chi_1"),
        new("xi_c", "xi_c"),
        new("predicted_depth", "6 xi_c"),
        new("measured_depth", "trainable depth"),
        new("per_seed", "per seed"),
        new("ratio", "measured / 6 xi_c"),
    ];

    public static ExperimentResult Create(
        string name, PropagationPlan plan, IReadOnlyList<PropagationSummary> summaries, IReadOnlyList<TrainabilityResult> results, double critical)
    {
        var o = plan.Options;
        var rows = Rows(summaries);
        return new ExperimentResult
        {
            Experiment = name,
            Setup = $"{o.Activation.Name}, sigma_b^2 = {G(o.BiasVariance)} (critical sigma_w^2 = {G(critical)}), depths {string.Join(", ", o.Depths)}, width {o.Width}, " +
                $"{o.Steps} plain SGD steps (lr {G(o.LearningRate)}, batch {o.BatchSize}) per cell on a {o.Classes}-class linear-teacher task " +
                $"({o.InputDimension}-d Gaussian inputs, {o.TrainSamples} train / {o.TestSamples} test), {plan.Seeds} seed{(plan.Seeds == 1 ? "" : "s")}",
            Cells = ResultTable.Create("Trainable depth against 6 xi_c per sigma_w^2", Columns, rows),
            Tables = [AccuracyTable(results)],
            Expectations =
            [
                PropagationExpectations.OrderedWithinFactorTwo(summaries, PropagationPlan.OrderedLimit),
                PropagationExpectations.DeepestNearCritical(summaries, critical),
            ],
            Notes = Notes(results[0], summaries),
            Charts = [Chart(summaries)],
        };
    }

    private static List<IReadOnlyList<ResultValue>> Rows(IReadOnlyList<PropagationSummary> summaries)
    {
        var rows = new List<IReadOnlyList<ResultValue>>(summaries.Count);
        foreach (var s in summaries)
        {
            rows.Add(
            [
                ResultValue.Fixed(s.WeightVariance, 2),
                ResultValue.Fixed(s.Chi1, 3),
                s.XiC is { } xi ? ResultValue.Fixed(xi, 1) : ResultValue.Missing,
                s.PredictedDepth is { } p ? ResultValue.Fixed(p, 0) : ResultValue.Missing,
                ResultValue.Fixed(s.MeanDepth, 1),
                ResultValue.Of(PerSeed(s)),
                s.Ratio is { } r ? ResultValue.Fixed(r, 2) : ResultValue.Missing,
            ]);
        }

        return rows;
    }

    private static string PerSeed(PropagationSummary s)
    {
        var parts = new string[s.MeasuredDepths.Count];
        for (int i = 0; i < parts.Length; i++)
            parts[i] = s.MeasuredDepths[i].ToString(CultureInfo.InvariantCulture);
        return string.Join(", ", parts) + (s.Censored ? " (grid end)" : "");
    }

    // Test accuracy per (depth, sigma_w^2), mean over seeds: the grid the boundaries are read from.
    private static ResultTable AccuracyTable(IReadOnlyList<TrainabilityResult> results)
    {
        var o = results[0].Options;
        var columns = new List<ResultColumn> { new("depth", "depth") };
        foreach (double w in o.WeightVariances)
            columns.Add(new ResultColumn("w_" + G(w).Replace('.', '_'), "sigma_w^2 " + G(w)));
        var rows = new List<IReadOnlyList<ResultValue>>();
        for (int d = 0; d < o.Depths.Count; d++)
        {
            var row = new List<ResultValue> { ResultValue.Integer(o.Depths[d]) };
            for (int w = 0; w < o.WeightVariances.Count; w++)
            {
                double accuracy = 0;
                foreach (var r in results)
                    accuracy += r.Cells[(d * o.WeightVariances.Count) + w].TestAccuracy / results.Count;
                row.Add(ResultValue.Percent(accuracy));
            }

            rows.Add(row);
        }

        return ResultTable.Create("Test accuracy per depth and sigma_w^2 (mean over seeds)", columns, rows);
    }

    private static ExperimentChart Chart(IReadOnlyList<PropagationSummary> summaries)
    {
        var x = new List<double>();
        var measured = new List<double>();
        var predictedX = new List<double>();
        var predicted = new List<double>();
        foreach (var s in summaries)
        {
            x.Add(s.WeightVariance);
            measured.Add(s.MeanDepth);
            if (s.PredictedDepth is { } p)
            {
                predictedX.Add(s.WeightVariance);
                predicted.Add(p);
            }
        }

        return new ExperimentChart("Trainable depth and 6 xi_c vs sigma_w^2", "sigma_w^2", "depth", LogY: true,
            [new ChartSeries("trainable depth (measured)", x, measured), new ChartSeries("6 xi_c (theory)", predictedX, predicted)]);
    }

    private static string[] Notes(TrainabilityResult result, IReadOnlyList<PropagationSummary> summaries) =>
    [
        $"trainable depth = the deepest grid depth whose test accuracy reached {Percent(result.TrainableThreshold)} (halfway from chance " +
            $"{Percent(result.ChanceAccuracy)} to 100%) with every shallower depth too, mean over seeds; 0 when none did. " +
            $"'(grid end)': every seed trained the deepest depth, {summaries[0].DeepestGridDepth}, so the true limit may lie beyond it.",
        "xi_c = -1 / ln(chi_c), the depth over which the correlation of two inputs approaches its fixed point (Schoenholz et al. 2017); " +
            "'-' where it is infinite (chi_c = 1, the critical line). chi_1 is the mean squared gradient gain per layer.",
        "Where we differ from the paper: Schoenholz et al. trained on MNIST and CIFAR-10 for many epochs with depths up to 300; we train on a " +
            "teacher-labelled Gaussian task with a short fixed budget at CPU sizes. Near and above the critical line 6 xi_c is large and the " +
            "measured limit is set by the budget instead (deep networks train slowly), so only the ordered phase is held to 6 xi_c; " +
            "the grid's spacing limits how finely a limit is placed. Runs are not stored: the cells train with the Trainer directly " +
            "(TrainabilityExperiment, as 'gradscope theory --trainability'), not as monitored runs.",
    ];

    private static string Percent(double fraction) => ResultValue.Percent(fraction).Display();

    private static string G(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
}
