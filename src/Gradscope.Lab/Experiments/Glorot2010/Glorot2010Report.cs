using System.Globalization;

namespace Gradscope.Lab.Experiments;

/// <summary>Turns the trials of <see cref="Glorot2010Experiment"/> into its result: tables, expectations, notes, charts and runs.</summary>
internal static class Glorot2010Report
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The experiment's result from all its trials and the one chosen per configuration.</summary>
    public static ExperimentResult Create(Glorot2010Plan plan, Glorot2010Rows data, ExperimentSettings settings, IReadOnlyList<Glorot2010Trial> trials, IReadOnlyList<Glorot2010Trial> chosen, (double Scale, InitGradients Init) control)
    {
        int trainRows = data.Train.Count - (int)Math.Round(data.Train.Count * plan.ValidationSplit, MidpointRounding.AwayFromZero);
        int steps = (trainRows + Glorot2010Plan.BatchSize - 1) / Glorot2010Plan.BatchSize;
        string rates = string.Join(", ", plan.LearningRates);
        return new ExperimentResult
        {
            Experiment = "glorot2010",
            Setup = $"Fashion-MNIST from {Glorot2010Data.Source(settings.DataDir)} ({trainRows:N0} training rows" +
                (plan.ValidationSplit > 0 ? $", {data.Train.Count - trainRows:N0} validation" : "") + $", {data.Test.Count:N0} test), " +
                $"{plan.Depth} x {plan.Width} hidden, SGD batch {Glorot2010Plan.BatchSize}, lr {(plan.LearningRates.Count > 1 ? "chosen from {" + rates + "} on validation error" : rates)}, " +
                $"{plan.Epochs} epoch{(plan.Epochs > 1 ? "s" : "")} ({steps * plan.Epochs:N0} updates), seed {settings.Seed}",
            Cells = Glorot2010Tables.Cells(chosen),
            Tables = [Glorot2010Tables.DeltaVariance(chosen, control.Init), Glorot2010Tables.WeightGradVariance(chosen), Glorot2010Tables.Trials(trials)],
            Expectations = Expectations(chosen, steps, control),
            Notes = [.. Notes(plan, settings, data, control.Scale), .. SigmoidNote(chosen)],
            Charts = [Glorot2010Charts.VariancePerLayer(chosen), Glorot2010Charts.SigmoidActivations(chosen, steps)],
            Runs = Runs(trials, settings.Seed),
        };
    }

    private static IReadOnlyList<ExpectationResult> Expectations(IReadOnlyList<Glorot2010Trial> chosen, int stepsPerEpoch, (double Scale, InitGradients Init) control)
    {
        var tanhStandard = Find(chosen, "tanh", normalized: false);
        var tanhNormalized = Find(chosen, "tanh", normalized: true);
        var sigmoid = Find(chosen, "sigmoid", normalized: false);
        var others = new List<(string, double)>();
        foreach (var trial in chosen)
        {
            if (trial.Configuration.Activation != "sigmoid")
                others.Add((trial.Configuration.Label, trial.TestError));
        }

        return
        [
            Glorot2010Expectations.FallsTowardInput(tanhStandard.Init.DeltaVariance),
            Glorot2010Expectations.Level(tanhNormalized.Init.DeltaVariance, tanhStandard.Init.DeltaSpread, control.Scale, control.Init.DeltaSpread),
            Glorot2010Expectations.Saturates(sigmoid.TopMinMeanEpoch1, stepsPerEpoch),
            Glorot2010Expectations.SigmoidWorst(sigmoid.TestError, others),
            Glorot2010Expectations.NormalizedNoWorse(tanhNormalized.TestError, tanhStandard.TestError),
        ];
    }

    /// <summary>The chosen trial of one configuration.</summary>
    public static Glorot2010Trial Find(IReadOnlyList<Glorot2010Trial> chosen, string activation, bool normalized)
    {
        foreach (var trial in chosen)
        {
            if (trial.Configuration.Activation == activation && trial.Configuration.IsNormalized == normalized)
                return trial;
        }

        throw new InvalidOperationException($"No trial of {activation} ({(normalized ? "normalized" : "standard")}).");
    }

    private static IReadOnlyList<string> Notes(Glorot2010Plan plan, ExperimentSettings settings, Glorot2010Rows data, double controlScale) =>
    [
        $"Data: Fashion-MNIST (read from {Glorot2010Data.Source(settings.DataDir)}), not the paper's MNIST: the paper's column is MNIST's Table 1 and does not compare number for number; Fashion-MNIST errors are several times higher for every network.",
        "Inputs are the raw pixels scaled to [0, 1] (no standardization), as in the paper; biases start at 0; 'standard' is U[-1/sqrt(n_in), 1/sqrt(n_in)], 'normalized' is U[-sqrt(6/(n_in+n_out)), sqrt(6/(n_in+n_out))] (glorot-uniform).",
        plan.LearningRates.Count > 1
            ? $"Learning rate: each configuration trains once per rate in {{{string.Join(", ", plan.LearningRates)}}} with {plan.ValidationSplit:P0} of the training rows held out; the rate with the lowest validation error is kept and its official test (t10k) error reported."
            : $"Learning rate: {plan.LearningRates[0]} for every configuration (the quick run does not tune it); test error is on the official t10k set.",
        $"Budget: {plan.Epochs} epoch(s) of mini-batches of {Glorot2010Plan.BatchSize}; the paper trained for millions of updates (and tuned until validation error stopped improving), so our errors are those of early training.",
        $"delta variance at init: over the first {plan.ProbeRows} training rows before any update, the variance (mean removed) of each example's dCost/ds, s a hidden layer's pre-activation, over all (example, unit) pairs; 'orders lost at init' is log10 of the RMS ratio of that gradient between the last and the first hidden layer.",
        $"Control column 'tanh normalized, MNIST-scale pixels': the same probe with the pixels multiplied by {controlScale.ToString("0.00", C)}, which gives them MNIST's E[x^2] = {Glorot2010Control.MnistSecondMoment.ToString("0.000", C)} (Fashion-MNIST's: {Glorot2010Control.SecondMoment(data.Train).ToString("0.000", C)}). The paper's level-variance argument (Sec. 4.2.1) assumes tanh's linear regime; brighter inputs give larger pre-activations, where tanh'(s)^2 < 1 shrinks the back-propagated variance a little at every layer toward the input.",
        "weight-gradient variance at init: the variance of the elements of dCost/dW for the same batch (the paper: about the same at every layer under both inits).",
        $"top min mean act (epoch 1): the smallest {Glorot2010Trial.SmoothingSteps}-step moving average of the top hidden layer's mean activation over the first epoch (paper Fig. 2).",
        "train loss: mean cross-entropy over the training rows after training.",
    ];

    // Within a short budget sigmoid may not learn at all; then its "highest error" is chance, and the reader should know.
    private static IReadOnlyList<string> SigmoidNote(IReadOnlyList<Glorot2010Trial> chosen)
    {
        var sigmoid = Find(chosen, "sigmoid", normalized: false);
        return sigmoid.TestError < 0.8 ? [] :
        [
            $"Sigmoid (standard init) is still at chance ({Glorot2010Expectations.Percent(sigmoid.TestError)} test error) after this budget: its top hidden layer saturates toward 0 (Fig. 2) and has not escaped in so few updates (the paper's runs were far longer), so its 'highest error' is that of a network that has not started learning.",
        ];
    }

    private static IReadOnlyList<ExperimentRun> Runs(IReadOnlyList<Glorot2010Trial> trials, int seed)
    {
        var runs = new List<ExperimentRun>();
        foreach (var trial in trials)
            runs.Add(new ExperimentRun($"glorot2010 {trial.Configuration.Label} lr={trial.LearningRate.ToString(C)} seed {seed}", trial.Run));
        return runs;
    }
}
