using Gradscope.Activations;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Lab.Runs;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Lab.Experiments;

/// <summary>One configuration trained at one learning rate, with what the experiment reads from it.</summary>
/// <param name="Configuration">The activation and initialization.</param>
/// <param name="LearningRate">SGD's step size.</param>
/// <param name="Init">The back-propagated gradient at initialization, per hidden layer.</param>
/// <param name="ValidationError">Error on the held-out validation rows; NaN when none were held out.</param>
/// <param name="ValidationLoss">Mean cross-entropy on the validation rows (breaks ties of the error); NaN when none were held out.</param>
/// <param name="TestError">Error on the official test set (t10k) after training.</param>
/// <param name="TrainLoss">Mean cross-entropy over the training rows after training.</param>
/// <param name="TopMinMeanEpoch1">The smallest mean activation of the top hidden layer over the first epoch's steps (a 10-step moving average).</param>
/// <param name="Seconds">Wall time of the trial.</param>
/// <param name="Run">The monitored run, for the store and the charts.</param>
internal sealed record Glorot2010Trial(
    Glorot2010Configuration Configuration,
    double LearningRate,
    InitGradients Init,
    double ValidationError,
    double ValidationLoss,
    double TestError,
    double TrainLoss,
    double TopMinMeanEpoch1,
    double Seconds,
    MonitoredRunResult Run)
{
    /// <summary>Steps the moving average of the top layer's mean activation spans (100 examples at batch 10).</summary>
    public const int SmoothingSteps = 10;

    /// <summary>The run description of one trial: the paper's SGD on mini-batches of 10, raw pixels in [0, 1], biases 0.</summary>
    public static RunSpec CreateConfig(Glorot2010Plan plan, Glorot2010Configuration configuration, double learningRate, int seed, string? dataDir) =>
        RunSpecs.Dense("fashion-mnist", plan.Hidden(), Activation.Parse(configuration.Activation), Initializer.Parse(configuration.Init)) with
        {
            Data = new DataSpec { Source = "fashion-mnist", DataDir = dataDir, Samples = plan.TrainRows, TestSplit = plan.ValidationSplit, Standardize = false },
            Optimizer = new OptimizerSpec(OptimizerKind.Sgd, learningRate),
            Budget = new BudgetSpec { Epochs = plan.Epochs, BatchSize = Glorot2010Plan.BatchSize },
            Seed = seed,
        };

    /// <summary>Trains one configuration at one learning rate on <paramref name="data"/> and measures it.</summary>
    public static Glorot2010Trial Train(Glorot2010Plan plan, Glorot2010Configuration configuration, double learningRate, Glorot2010Rows data, ExperimentSettings settings)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var config = CreateConfig(plan, configuration, learningRate, settings.Seed, settings.DataDir);
        var run = PreparedRun<float>.Create(config, data.Train);
        var init = InitGradientProbe.Measure(run, plan.ProbeRows);
        var result = MonitoredRun.Run(run, MonitorOptions.For(MonitorPreset.Cheap), settings.Cancellation);
        settings.Cancellation.ThrowIfCancellationRequested();
        var validation = run.Test is null ? new Evaluation(double.NaN, double.NaN) : run.Trainer.Evaluate(run.Test);
        double test = 1 - run.Trainer.Evaluate(data.Test).Accuracy;
        bool diverged = result.Training.Status == TrainingStatus.Diverged;
        double trainLoss = diverged ? double.NaN : result.Training.Final?.TrainLoss ?? double.NaN;
        int stepsPerEpoch = (run.Train.Count + Glorot2010Plan.BatchSize - 1) / Glorot2010Plan.BatchSize;
        double topMin = MinMovingMean(result.Trace, plan.Depth - 1, stepsPerEpoch, SmoothingSteps);
        return new Glorot2010Trial(configuration, learningRate, init, diverged ? 1 : 1 - validation.Accuracy, diverged ? double.PositiveInfinity : validation.Loss, diverged ? 1 : test, trainLoss, topMin, clock.Elapsed.TotalSeconds, result);
    }

    /// <summary>
    /// The smallest mean, over windows of <paramref name="window"/> recorded steps within the first
    /// <paramref name="steps"/> training steps, of layer <paramref name="layer"/>'s mean activation.
    /// </summary>
    public static double MinMovingMean(Trace trace, int layer, int steps, int window)
    {
        int count = 0;
        while (count < trace.StepCount && trace.StepNumber(count) < steps)
            count++;
        window = Math.Clamp(window, 1, Math.Max(1, count));
        double min = double.PositiveInfinity, sum = 0;
        for (int s = 0; s < count; s++)
        {
            sum += trace[LayerStat.ActMean, s, layer];
            if (s >= window)
                sum -= trace[LayerStat.ActMean, s - window, layer];
            if (s >= window - 1)
                min = Math.Min(min, sum / window);
        }

        return count == 0 ? double.NaN : min;
    }
}
