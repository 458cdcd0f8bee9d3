using System.Numerics;
using Gradscope.Data;
using Gradscope.Data.Catalog;
using Gradscope.Layers;
using Gradscope.Losses;
using Gradscope.Memory;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Lab.Runs;

/// <summary>A <see cref="RunSpec"/> made concrete: split data, the network, and a trainer ready to run.</summary>
public sealed class PreparedRun<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The share of rows held out when <see cref="DataSpec.TestSplit"/> is null and the set has no official test set.</summary>
    public const double DefaultTestSplit = 0.2;

    private PreparedRun(RunSpec config, Dataset train, Dataset? test, Standardizer? standardizer, NetworkSpec spec, Sequential<T> network, Trainer<T> trainer)
    {
        Config = config;
        Train = train;
        Test = test;
        Standardizer = standardizer;
        Spec = spec;
        Network = network;
        Trainer = trainer;
    }

    /// <summary>The description this run was built from.</summary>
    public RunSpec Config { get; }

    /// <summary>Training split (standardized when configured).</summary>
    public Dataset Train { get; }

    /// <summary>
    /// The held-out rows evaluated after every epoch (standardized like <see cref="Train"/>), of kind
    /// <see cref="TestKind"/>; null when there are none.
    /// </summary>
    public Dataset? Test { get; }

    /// <summary>Where <see cref="Test"/> comes from; null when it is null.</summary>
    public HeldOutKind? TestKind { get; private set; }

    /// <summary>
    /// The official test set when <see cref="Test"/> is a validation split carved from the training
    /// files: evaluated once, after training (<see cref="EvaluateFinalTest"/>). Null otherwise.
    /// </summary>
    public Dataset? FinalTest { get; private set; }

    /// <summary>
    /// The label text of each class, in class order, when the labels came from a file (a CSV label
    /// column): what a saved model stores so that other data map onto the same classes. Null for
    /// built-in sets, whose labels are class indices.
    /// </summary>
    public IReadOnlyList<string>? ClassLabels { get; private set; }

    /// <summary>The feature standardization fitted on the training split, if any.</summary>
    public Standardizer? Standardizer { get; }

    /// <summary>The architecture.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>The initialized network.</summary>
    public Sequential<T> Network { get; }

    /// <summary>The trainer.</summary>
    public Trainer<T> Trainer { get; }

    /// <summary>
    /// Loads the data and builds everything <paramref name="config"/> describes. A set with official
    /// test files (<see cref="DatasetCatalog.LoadOfficialTest"/>) is tested on them; a test split
    /// then carves a validation split from the training files. <paramref name="networkSource"/>
    /// names the network in messages (the file it came from); <paramref name="flagForm"/> keeps a
    /// network the layout flags described in their form (see <see cref="RunSpecs.NetworkFor"/>).
    /// </summary>
    /// <exception cref="GradscopeException">The data cannot be loaded, has fewer than two classes, or does not fit the configuration.</exception>
    /// <exception cref="MemoryLimitException">The run needs more memory than the process may use; checked before the network is built.</exception>
    public static PreparedRun<T> Create(RunSpec config, Dataset? preloaded = null, string networkSource = "model spec", bool flagForm = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = config.DataOptions();
        var data = preloaded ?? DatasetCatalog.Load(config.Data.Source, options);
        if (data.ClassCount < 2 && data.Regression is null)
        {
            throw new GradscopeException(
                $"{config.Data.Source}: the data has one class ('{data.ClassNames[0]}'); training a classifier needs two or more classes. Is the label column the right one?");
        }

        var spec = SpecFor(config, data, networkSource, flagForm);

        // Before the split and standardization copy the data, and before the network exists.
        RunMemory.Ensure(config, spec, data.Count, MemoryEstimate.DataSetBytes(data.Count, data.FeatureCount) * RunMemory.DataCopies(config));
        var official = preloaded is null ? DatasetCatalog.LoadOfficialTest(config.Data.Source, options) : null;
        var (train, heldOut) = Split(data, config.Data.TestSplit ?? (official is null ? DefaultTestSplit : 0), config.Seed);
        var finalTest = heldOut is null ? null : official;
        var test = heldOut ?? official;
        Standardizer? standardizer = null;
        // A recurrent first layer reads F features per step; statistics of T * F columns would not fit it.
        if (config.Data.Standardize && spec.Recurrent is null)
            (standardizer, train, test, finalTest) = Standardize(train, test, finalTest, config.Data.Source);

        var rng = new SeededRandom(config.Seed);
        var network = spec.Build<T>(config.Init, rng);
        var run = Build(config, train, test, standardizer, spec, network);
        run.TestKind = heldOut is null ? (official is null ? null : HeldOutKind.OfficialTest) : (official is null ? HeldOutKind.TestSplit : HeldOutKind.Validation);
        run.FinalTest = finalTest;
        run.ClassLabels = DatasetCatalog.IsNamedSet(config.Data.Source) ? null : data.ClassNames;
        return run;
    }

    /// <summary>Wraps an existing network (for example one loaded from a file) with a trainer for <paramref name="config"/>.</summary>
    /// <exception cref="MemoryLimitException">Training it needs more memory than the process may use.</exception>
    public static PreparedRun<T> Create(RunSpec config, Dataset train, Dataset? test, Standardizer? standardizer, NetworkSpec spec, Sequential<T> network)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(train);
        RunMemory.Ensure(config, spec, train.Count, MemoryEstimate.DataSetBytes(train.Count, train.FeatureCount));
        return Build(config, train, test, standardizer, spec, network);
    }

    // Finite features can still overflow a mean, a deviation or a standardized value (values near
    // 1e308); the message then names the data they come from.
    private static (Standardizer, Dataset, Dataset?, Dataset?) Standardize(Dataset train, Dataset? test, Dataset? finalTest, string source)
    {
        try
        {
            var standardizer = train.FitStandardizer();
            return (standardizer, standardizer.Apply(train), test is null ? null : standardizer.Apply(test), finalTest is null ? null : standardizer.Apply(finalTest));
        }
        catch (GradscopeException ex)
        {
            throw new GradscopeException($"{source}: cannot standardize the features: {ex.Message}", ex);
        }
    }

    private static PreparedRun<T> Build(RunSpec config, Dataset train, Dataset? test, Standardizer? standardizer, NetworkSpec spec, Sequential<T> network)
    {
        var optimizer = Optimizers.Optimizer.Create<T>(config.Optimizer.Kind.Name(), config.Optimizer.ToOptions());
        var schedule = config.Schedule.Create(optimizer.LearningRate, config.Budget.Epochs);
        var trainer = new Trainer<T>(network, Loss.Parse<T>(config.Loss.Name()), optimizer, new TrainerOptions
        {
            Epochs = config.Budget.Epochs,
            BatchSize = RunMemory.BatchRows(config.Budget.BatchSize, train.Count),
            Seed = config.Seed,
            MaxSteps = config.Budget.MaxSteps,
            ClipNorm = config.ClipNorm,
            ClipValue = config.ClipValue,
        }, schedule);
        trainer.CheckFits(train); // before a header is printed or a run recorded
        return new PreparedRun<T>(config, train, test, standardizer, spec, network, trainer) { TestKind = test is null ? null : HeldOutKind.TestSplit };
    }

    /// <summary>
    /// The architecture <paramref name="config"/> builds for <paramref name="data"/>: its features (per
    /// step, with the data's steps, for sequences) and classes (targets, for regression).
    /// </summary>
    public static NetworkSpec SpecFor(RunSpec config, Dataset data, string networkSource = "model spec", bool flagForm = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        int outputs = data.Regression?.Width ?? data.ClassCount;
        var layout = config.Network.Layers;
        if (data.Sequence is not { } sequence || layout.Count == 0 || layout[0] is not RecurrentSpec)
            return config.NetworkFor(data.FeatureCount, outputs, networkSource, flagForm);
        return config.NetworkFor(sequence.Features, outputs, networkSource, flagForm) with { Steps = sequence.Steps };
    }

    /// <summary>Loss and accuracy of the network on <see cref="FinalTest"/>; null when there is none.</summary>
    public Evaluation? EvaluateFinalTest() => FinalTest is null ? null : Trainer.Evaluate(FinalTest);

    private static (Dataset Train, Dataset? Test) Split(Dataset data, double fraction, int seed)
    {
        if (fraction is < 0 or >= 1)
            throw new GradscopeException($"The test split must be in [0, 1); got {fraction}.");
        if (fraction == 0 || data.Count < 2)
            return (data, null);
        var (train, test) = data.Split(fraction, seed);
        return (train, test);
    }
}
