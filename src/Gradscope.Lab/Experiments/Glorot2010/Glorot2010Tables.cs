namespace Gradscope.Lab.Experiments;

/// <summary>The tables of <see cref="Glorot2010Experiment"/>.</summary>
internal static class Glorot2010Tables
{
    /// <summary>One row per configuration (its chosen learning rate): our errors beside the paper's Table 1.</summary>
    public static ResultTable Cells(IReadOnlyList<Glorot2010Trial> chosen)
    {
        var rows = new List<IReadOnlyList<ResultValue>>();
        foreach (var t in chosen)
        {
            rows.Add(
            [
                ResultValue.Of(t.Configuration.Activation),
                ResultValue.Of(t.Configuration.InitLabel),
                ResultValue.Fixed(t.LearningRate, 2),
                double.IsNaN(t.ValidationError) ? ResultValue.Missing : ResultValue.Percent(t.ValidationError, 2),
                ResultValue.Percent(t.TestError, 2),
                t.Configuration.PaperTestError is { } paper ? ResultValue.Percent(paper, 2) : ResultValue.Missing,
                ResultValue.Fixed(t.TrainLoss, 3),
                ResultValue.Fixed(t.TopMinMeanEpoch1, 3),
                ResultValue.Fixed(t.Init.OrdersLost, 2),
            ]);
        }

        return ResultTable.Create("Test error after training, ours (Fashion-MNIST) beside the paper's Table 1 (MNIST)",
        [
            new("activation", "activation"),
            new("init", "init"),
            new("lr", "chosen lr"),
            new("validation_error", "validation error"),
            new("test_error", "test error (ours, Fashion-MNIST)"),
            new("paper_test_error", "paper test error (MNIST, Table 1)"),
            new("train_loss", "final train loss"),
            new("top_min_mean_activation", "top min mean act (epoch 1)"),
            new("orders_lost_at_init", "orders lost at init"),
        ], rows);
    }

    /// <summary>The back-propagated gradient's variance per hidden layer at init, one column per configuration.</summary>
    /// <param name="chosen">The chosen trials.</param>
    /// <param name="control">Tanh normalized on MNIST-scale pixels (<see cref="Glorot2010Control"/>), an extra column.</param>
    public static ResultTable DeltaVariance(IReadOnlyList<Glorot2010Trial> chosen, InitGradients control) =>
        PerLayer("Back-propagated gradient at init: variance of dCost/ds per hidden layer (layer 1 = nearest the input)", "delta_var", chosen, t => t.Init.DeltaVariance,
            ("delta_var_tanh_normalized_mnist_scale", "tanh normalized, MNIST-scale pixels", control.DeltaVariance));

    /// <summary>The weight gradient's variance per hidden layer at init, one column per configuration.</summary>
    public static ResultTable WeightGradVariance(IReadOnlyList<Glorot2010Trial> chosen) =>
        PerLayer("Weight gradient at init: variance of dCost/dW per hidden layer", "weight_grad_var", chosen, t => t.Init.WeightGradVariance);

    /// <summary>Every trial: configuration, learning rate, validation and test error.</summary>
    public static ResultTable Trials(IReadOnlyList<Glorot2010Trial> trials)
    {
        var rows = new List<IReadOnlyList<ResultValue>>();
        foreach (var t in trials)
        {
            rows.Add(
            [
                ResultValue.Of(t.Configuration.Label),
                ResultValue.Fixed(t.LearningRate, 2),
                double.IsNaN(t.ValidationError) ? ResultValue.Missing : ResultValue.Percent(t.ValidationError, 2),
                ResultValue.Percent(t.TestError, 2),
                ResultValue.Fixed(t.TrainLoss, 3),
                ResultValue.Fixed(t.Seconds, 0),
            ]);
        }

        return ResultTable.Create("Every learning-rate trial",
        [
            new("configuration", "configuration"),
            new("lr", "lr"),
            new("validation_error", "validation error"),
            new("test_error", "test error"),
            new("train_loss", "train loss"),
            new("seconds", "seconds"),
        ], rows);
    }

    private static ResultTable PerLayer(string title, string key, IReadOnlyList<Glorot2010Trial> chosen, Func<Glorot2010Trial, double[]> values,
        (string Key, string Header, double[] Values)? extra = null)
    {
        var series = new List<(string Key, string Header, double[] Values)>();
        foreach (var t in chosen)
            series.Add(($"{key}_{t.Configuration.Activation}_{t.Configuration.InitLabel}", t.Configuration.Label, values(t)));
        if (extra is { } column)
            series.Add(column);
        var columns = new List<ResultColumn> { new("layer", "layer") };
        foreach (var (k, header, _) in series)
            columns.Add(new(k, header));
        int layers = series.Count == 0 ? 0 : series[0].Values.Length;
        var rows = new List<IReadOnlyList<ResultValue>>();
        for (int l = 0; l < layers; l++)
        {
            var row = new List<ResultValue> { ResultValue.Integer(l + 1) };
            foreach (var (_, _, v) in series)
                row.Add(ResultValue.Scientific(v[l]));
            rows.Add(row);
        }

        var spread = new List<ResultValue> { ResultValue.Of("max/min") };
        foreach (var (_, _, v) in series)
            spread.Add(ResultValue.Fixed(InitGradients.Spread(v), 2));
        rows.Add(spread);
        return ResultTable.Create(title, columns, rows);
    }
}
