namespace Gradscope.Lab.Experiments;

/// <summary>The per-cell table and the charts of rnn-vs-lstm.</summary>
internal static class RnnVsLstmTables
{
    public static ResultTable Cells(IReadOnlyList<RnnVsLstmRow> rows)
    {
        ResultColumn[] columns =
        [
            new("length", "T"), new("cell", "cell"), new("accuracy", "accuracy"), new("final_loss", "final loss"), new("fresh_wrong", "wrong of 2560"),
            new("memory_horizon", "memory horizon"), new("gradient_ratio", "|dL/dh_0|/|dL/dh_T|"), new("decay_per_step", "decay/step"),
            new("orders_lost", "orders lost"), new("findings", "findings"),
        ];
        var cells = new List<IReadOnlyList<ResultValue>>(rows.Count);
        foreach (var r in rows)
        {
            var m = r.Through;
            cells.Add([
                ResultValue.Integer(r.Length), ResultValue.Of(r.Cell), ResultValue.Percent(r.Accuracy), ResultValue.Fixed(r.FinalLoss, 4),
                ResultValue.Integer(r.FreshWrong),
                m is null ? ResultValue.Missing : ResultValue.Integer(m.MemoryHorizon),
                m is null ? ResultValue.Missing : ResultValue.Scientific(m.GradientRatio),
                m is null ? ResultValue.Missing : ResultValue.Fixed(m.DecayPerStep, 3),
                m is null ? ResultValue.Missing : ResultValue.Fixed(m.OrdersLost, 1),
                FindingKinds.Cell(r.Findings),
            ]);
        }

        return ResultTable.Create("plain RNN vs LSTM vs GRU on the adding problem, by T", columns, cells);
    }

    public static IReadOnlyList<ExperimentChart> Charts(IReadOnlyList<RnnVsLstmRow> rows)
    {
        var accuracy = new List<ChartSeries>();
        var profile = new List<ChartSeries>();
        int longest = 0;
        foreach (var row in rows)
        {
            if (row.Cell == "rnn")
                longest = Math.Max(longest, row.Length);
        }

        foreach (string cell in RnnVsLstmRuns.AllCells)
        {
            var x = new List<double>();
            var y = new List<double>();
            foreach (var row in rows)
            {
                if (row.Cell != cell)
                    continue;
                x.Add(row.Length);
                y.Add(row.Accuracy);
                if (row.Length == longest && row.Through is { } m)
                    profile.Add(new ChartSeries(cell, Steps(m.Profile.Count), m.Profile));
            }

            accuracy.Add(new ChartSeries(cell, x, y));
        }

        return
        [
            new ExperimentChart("held-out accuracy by T (chance about 15%)", "T", "accuracy", false, accuracy),
            new ExperimentChart($"||dL/dh_t|| k steps back from the last step, T = {longest}", "steps back", "||dL/dh_t||", true, profile),
        ];
    }

    private static double[] Steps(int count)
    {
        var steps = new double[count];
        for (int k = 0; k < count; k++)
            steps[k] = k;
        return steps;
    }
}
