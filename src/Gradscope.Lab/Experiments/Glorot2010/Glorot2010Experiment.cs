namespace Gradscope.Lab.Experiments;

/// <summary>
/// Glorot and Bengio (2010), "Understanding the difficulty of training deep feedforward neural
/// networks": 5 hidden layers trained by SGD on mini-batches of 10, sigmoid, tanh and softsign with
/// the standard init U[-1/sqrt(n), 1/sqrt(n)] against the normalized init
/// U[-sqrt(6/(n_in+n_out)), sqrt(6/(n_in+n_out))], biases 0, on Fashion-MNIST (the paper used MNIST;
/// its Table 1 is printed beside ours). Measures the back-propagated gradient per layer at
/// initialization (Fig. 7), sigmoid's top-layer saturation during the first epoch (Fig. 2), and the
/// test errors (Table 1).
/// </summary>
public sealed class Glorot2010Experiment : IExperiment
{
    /// <inheritdoc/>
    public string Name => "glorot2010";

    /// <inheritdoc/>
    public string Summary => "Glorot & Bengio (2010): standard vs normalized init for sigmoid, tanh and softsign in 5 hidden layers (Fashion-MNIST)";

    /// <inheritdoc/>
    public IReadOnlyList<string> Papers { get; } = ["Glorot and Bengio (2010)"];

    /// <inheritdoc/>
    public ExperimentResult Run(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var plan = Glorot2010Plan.For(settings.Quick);
        var data = Glorot2010Data.Load(plan, settings.DataDir);
        var trials = RunTrials(plan, data, settings);
        var chosen = Choose(trials);
        var control = Glorot2010Control.TanhNormalizedAtMnistScale(plan, data, settings.Seed, settings.DataDir);
        return Glorot2010Report.Create(plan, data, settings, trials, chosen, control);
    }

    /// <summary>Every configuration at every learning rate of the plan, in parallel; results in (configuration, rate) order.</summary>
    private static Glorot2010Trial[] RunTrials(Glorot2010Plan plan, Glorot2010Rows data, ExperimentSettings settings)
    {
        var jobs = new List<(Glorot2010Configuration Configuration, double Rate)>();
        foreach (var configuration in Glorot2010Configuration.All)
        {
            foreach (double rate in plan.LearningRates)
                jobs.Add((configuration, rate));
        }

        var trials = new Glorot2010Trial[jobs.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.Workers, CancellationToken = settings.Cancellation };
        Parallel.For(0, jobs.Count, parallel, i =>
        {
            var (configuration, rate) = jobs[i];
            var trial = Glorot2010Trial.Train(plan, configuration, rate, data, settings);
            trials[i] = trial;
            settings.Report($"{configuration.Label} lr {rate}: test error {Glorot2010Expectations.Percent(trial.TestError)}" +
                (double.IsNaN(trial.ValidationError) ? "" : $", validation {Glorot2010Expectations.Percent(trial.ValidationError)}") +
                $" ({trial.Seconds:0} s)");
        });
        return trials;
    }

    /// <summary>Per configuration, the trial with the lowest validation error, ties to the lower validation loss (the only one when there is no validation split).</summary>
    internal static IReadOnlyList<Glorot2010Trial> Choose(IReadOnlyList<Glorot2010Trial> trials)
    {
        var chosen = new List<Glorot2010Trial>();
        foreach (var configuration in Glorot2010Configuration.All)
        {
            Glorot2010Trial? best = null;
            foreach (var trial in trials)
            {
                if (trial.Configuration != configuration)
                    continue;
                if (best is null || trial.ValidationError < best.ValidationError
                    || (trial.ValidationError == best.ValidationError && trial.ValidationLoss < best.ValidationLoss))
                    best = trial;
            }

            if (best is not null)
                chosen.Add(best);
        }

        return chosen;
    }
}
