using System.Numerics;
using Gradscope.Data;
using Gradscope.Layers;
using Gradscope.Losses;
using Gradscope.Memory;
using Gradscope.Optimizers;

namespace Gradscope.Training;

/// <summary>A <see cref="RunConfig"/> made concrete: split data, the network, and a trainer ready to run.</summary>
public sealed class PreparedRun<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private PreparedRun(RunConfig config, Dataset train, Dataset? test, Standardizer? standardizer, NetworkSpec spec, Sequential<T> network, Trainer<T> trainer)
    {
        Config = config;
        Train = train;
        Test = test;
        Standardizer = standardizer;
        Spec = spec;
        Network = network;
        Trainer = trainer;
    }

    /// <summary>The configuration this run was built from.</summary>
    public RunConfig Config { get; }

    /// <summary>Training split (standardized when configured).</summary>
    public Dataset Train { get; }

    /// <summary>Test split, or null when <see cref="RunConfig.TestSplit"/> is 0.</summary>
    public Dataset? Test { get; }

    /// <summary>The feature standardization fitted on the training split, if any.</summary>
    public Standardizer? Standardizer { get; }

    /// <summary>The architecture.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>The initialized network.</summary>
    public Sequential<T> Network { get; }

    /// <summary>The trainer.</summary>
    public Trainer<T> Trainer { get; }

    /// <summary>Loads the data and builds everything <paramref name="config"/> describes.</summary>
    /// <exception cref="MemoryLimitException">The run needs more memory than the process may use; checked before the network is built.</exception>
    public static PreparedRun<T> Create(RunConfig config, Dataset? preloaded = null)
    {
        var data = preloaded ?? DatasetCatalog.Load(config.Data, config.DataOptions with { Seed = config.Seed });
        var spec = config.CreateSpec(data.FeatureCount, Math.Max(data.ClassCount, 2));

        // Before the split and standardization copy the data, and before the network exists.
        RunMemory.Ensure(config, spec, data.Count, MemoryEstimate.DataSetBytes(data.Count, data.FeatureCount) * RunMemory.DataCopies(config));
        var (train, test) = Split(data, config);
        Standardizer? standardizer = null;
        if (config.Standardize)
        {
            standardizer = train.FitStandardizer();
            train = standardizer.Apply(train);
            test = test is null ? null : standardizer.Apply(test);
        }

        var rng = new SeededRandom(config.Seed);
        var network = spec.Build<T>(config.ParsedInitializer, rng);
        return Build(config, train, test, standardizer, spec, network);
    }

    /// <summary>Wraps an existing network (for example one loaded from a file) with a trainer for <paramref name="config"/>.</summary>
    /// <exception cref="MemoryLimitException">Training it needs more memory than the process may use.</exception>
    public static PreparedRun<T> Create(RunConfig config, Dataset train, Dataset? test, Standardizer? standardizer, NetworkSpec spec, Sequential<T> network)
    {
        ArgumentNullException.ThrowIfNull(train);
        RunMemory.Ensure(config, spec, train.Count, MemoryEstimate.DataSetBytes(train.Count, train.FeatureCount));
        return Build(config, train, test, standardizer, spec, network);
    }

    private static PreparedRun<T> Build(RunConfig config, Dataset train, Dataset? test, Standardizer? standardizer, NetworkSpec spec, Sequential<T> network)
    {
        var optimizer = Optimizers.Optimizer.Create<T>(config.Optimizer, new OptimizerOptions
        {
            LearningRate = config.LearningRate ?? DefaultLearningRate(config.Optimizer),
            Momentum = config.Momentum ?? 0.9,
            WeightDecay = config.WeightDecay,
        });
        var schedule = LearningRateSchedule.Parse(config.Schedule, optimizer.LearningRate, config.Epochs);
        var trainer = new Trainer<T>(network, Loss.Parse<T>(config.Loss), optimizer, new TrainerOptions
        {
            Epochs = config.Epochs,
            BatchSize = RunMemory.BatchRows(config, train.Count),
            Seed = config.Seed,
            MaxSteps = config.MaxSteps,
            ClipNorm = config.ClipNorm,
            ClipValue = config.ClipValue,
        }, schedule);
        return new PreparedRun<T>(config, train, test, standardizer, spec, network, trainer);
    }

    /// <summary>0.1 for the SGD family (PyTorch has no default there), null (PyTorch's default) for adaptive optimizers.</summary>
    public static double? DefaultLearningRate(string optimizer) =>
        optimizer.Trim().ToLowerInvariant() is "sgd" or "momentum" or "nesterov" ? 0.1 : null;

    private static (Dataset Train, Dataset? Test) Split(Dataset data, RunConfig config)
    {
        if (config.TestSplit is < 0 or >= 1)
            throw new GradscopeException($"The test split must be in [0, 1); got {config.TestSplit}.");
        if (config.TestSplit == 0 || data.Count < 2)
            return (data, null);
        var (train, test) = data.Split(config.TestSplit, config.Seed);
        return (train, test);
    }
}
