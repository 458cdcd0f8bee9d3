using System.CommandLine;
using Gradscope.Data;
using Gradscope.Data.Catalog;
using Gradscope.Initialization;
using Gradscope.Lab.Runs;
using Gradscope.Losses;
using Gradscope.Optimizers;

namespace Gradscope.Cli.Commands;

/// <summary>
/// Checks every option of <c>gradscope train</c> before any data is loaded or memory allocated:
/// each invalid value is bad usage (exit code 2) with a message naming the option.
/// </summary>
internal static class TrainValidation
{
    public static void Check(RunFlags config, TrainOptions o, ParseResult parsed)
    {
        Budget(config);
        Data(config);
        Architecture(config, parsed.GetValue(o.Layers)!);
        Optimizer(config.Optimizer, config.LearningRate, config.Momentum, config.WeightDecay, config.Schedule, config.Epochs);
        OptionChecks.Parse("--loss", config.Loss, () => Loss.Parse<float>(config.Loss));
        OptionChecks.Positive(config.ClipNorm, "--clip-norm");
        OptionChecks.Positive(config.ClipValue, "--clip-value");
        OptionChecks.Path(parsed.GetValue(o.Save), "--save");
        OptionChecks.Path(parsed.GetValue(o.Trace), "--trace");
    }

    /// <summary>
    /// The optimizer and its settings: the learning rate, momentum and weight decay as numbers, then
    /// the name and the combination (Nesterov needs momentum) as the engine checks them.
    /// </summary>
    public static void Optimizer(string name, double? learningRate, double? momentum, double? weightDecay, string schedule = "constant", int epochs = 1)
    {
        OptionChecks.NonNegative(learningRate, "--lr");
        OptionChecks.NonNegative(momentum, "--momentum");
        OptionChecks.NonNegative(weightDecay, "--weight-decay");
        var optimizer = OptionChecks.Parse("--optimizer", name, () => Optimizers.Optimizer.Create<float>(name, new OptimizerOptions
        {
            LearningRate = learningRate ?? DefaultLearningRate(name),
            Momentum = momentum ?? 0.9,
            WeightDecay = weightDecay,
        }));
        OptionChecks.Parse("--schedule", schedule, () => LearningRateSchedule.Parse(schedule, optimizer.LearningRate, epochs));
    }

    // 0.1 for the SGD family (PyTorch has no default there), null (PyTorch's default) for adaptive optimizers.
    private static double? DefaultLearningRate(string optimizer) =>
        optimizer.Trim().ToLowerInvariant() is "sgd" or "momentum" or "nesterov" ? 0.1 : null;

    private static void Budget(RunFlags config)
    {
        OptionChecks.AtLeast(config.Epochs, 1, "--epochs");
        OptionChecks.AtLeast(config.BatchSize, 1, "--batch-size");
        OptionChecks.AtLeast(config.MaxSteps, 1, "--max-steps");
        if (config.TestSplit is { } testSplit)
            OptionChecks.Fraction(testSplit, "--test-split");
        OptionChecks.Fraction(config.Dropout, "--dropout");
    }

    private static void Data(RunFlags config)
    {
        var options = config.DataOptions;
        OptionChecks.Name(config.Data, "--data");
        OptionChecks.Path(options.DataDir, "--data-dir");
        OptionChecks.Name(options.Label, "--label");
        OptionChecks.AtLeast(options.Count, 1, "--samples");
        OptionChecks.AtLeast(options.SequenceLength, 1, "--seq-len");
        if (options.SequenceLength is not null && !Gradscope.Data.Sequences.SequenceTaskData.IsTask(config.Data))
            throw new UsageException($"--seq-len applies to the sequence tasks (adding, copy, temporal-order), not to --data {config.Data}.");
        CommonOptions.CheckTaskLength(config.Data, options.SequenceLength);
        OptionChecks.AtLeast(options.Classes, 2, "--classes");
        OptionChecks.NonNegative(options.Noise, "--noise");

        // A generated set's options depend on each other (a point per class, the array size).
        if (DatasetCatalog.IsSynthetic(config.Data))
            Synthetic(config.Data, options);
    }

    private static void Synthetic(string name, DataOptions options)
    {
        try
        {
            DatasetCatalog.CheckSynthetic(name, options);
        }
        catch (GradscopeException ex) when (ex is not Memory.MemoryLimitException)
        {
            // The engine's messages begin with the set's name; the options given take its place.
            string subject = $"--data {name}"
                + (options.Count is { } count ? $" --samples {count}" : string.Empty)
                + (options.Classes is { } classes ? $" --classes {classes}" : string.Empty);
            string prefix = name.ToLowerInvariant() + ": ";
            string message = ex.Message.StartsWith(prefix, StringComparison.Ordinal) ? ex.Message[prefix.Length..] : ex.Message;
            throw new UsageException($"{subject}: {message}");
        }
    }

    private static void Architecture(RunFlags config, string layers)
    {
        var widths = new List<int?> { null };
        foreach (int width in config.Hidden)
            widths.Add(width);
        widths.Add(null);
        OptionChecks.DenseShapes(widths, $"--layers '{layers}'");
        if (!config.Init.Equals("auto", StringComparison.OrdinalIgnoreCase))
            OptionChecks.Parse("--init", config.Init, () => Initializer.Parse(config.Init));
    }
}
