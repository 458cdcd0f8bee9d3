using Gradscope.Data;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Lab.Runs;

/// <summary>Conversions between a <see cref="RunSpec"/> and the engine's <see cref="RunConfig"/>.</summary>
public static class RunSpecs
{
    /// <summary>
    /// The run description of a configuration: the flags' layout expanded into layers (or the
    /// model spec's layers), "auto" init resolved to the activation's initializer, the optimizer's
    /// default learning rate stated.
    /// </summary>
    /// <exception cref="GradscopeException">A setting does not parse; the message names it.</exception>
    public static RunSpec FromConfig(RunConfig config) => FromConfig(config, null);

    /// <summary>
    /// As <see cref="FromConfig(RunConfig)"/>, for a run that starts from the tensors of the model
    /// file <paramref name="weights"/> (null: from the initializer).
    /// </summary>
    public static RunSpec FromConfig(RunConfig config, string? weights)
    {
        ArgumentNullException.ThrowIfNull(config);
        var optimizer = OptimizerKinds.Parse(config.Optimizer);
        return new RunSpec
        {
            Data = new DataSpec
            {
                Source = config.Data,
                Samples = config.DataOptions.Count,
                SeqLen = config.DataOptions.SequenceLength,
                Classes = config.DataOptions.Classes,
                Noise = config.DataOptions.Noise,
                Label = config.DataOptions.Label,
                DataDir = config.DataOptions.DataDir,
                TestSplit = config.TestSplit,
                Standardize = config.Standardize,
            },
            Network = Network(config),
            Init = config.ParsedInitializer,
            Weights = weights,
            Optimizer = new OptimizerSpec(optimizer, config.LearningRate ?? DefaultLearningRate(optimizer))
            {
                Momentum = config.Momentum ?? 0.9,
                WeightDecay = config.WeightDecay,
            },
            Schedule = ScheduleSpec.Parse(config.Schedule),
            Loss = LossKinds.Parse(config.Loss),
            Budget = new BudgetSpec { Epochs = config.Epochs, BatchSize = config.BatchSize, MaxSteps = config.MaxSteps },
            ClipNorm = config.ClipNorm,
            ClipValue = config.ClipValue,
            DType = config.UseDouble ? NumberType.Float64 : NumberType.Float32,
            Seed = config.Seed,
        };
    }

    /// <summary>
    /// The configuration that runs <paramref name="spec"/>: its layers as a model spec, every
    /// setting explicit, so the run is the one the description names.
    /// </summary>
    public static RunConfig ToConfig(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new RunConfig
        {
            Data = spec.Data.Source,
            DataOptions = new DataOptions
            {
                Count = spec.Data.Samples,
                SequenceLength = spec.Data.SeqLen,
                Classes = spec.Data.Classes,
                Noise = spec.Data.Noise,
                Label = spec.Data.Label,
                DataDir = spec.Data.DataDir,
                Limit = spec.Data.Samples,
            },
            TestSplit = spec.Data.TestSplit,
            Standardize = spec.Data.Standardize,
            ModelSpec = ModelSpecJson.Write(spec.Network.Input, spec.Network.Layers, spec.Network.Output, outputModule: spec.Network.OutputModule),
            Init = spec.Init.ToSpec(),
            Optimizer = spec.Optimizer.Kind.Name(),
            LearningRate = spec.Optimizer.LearningRate,
            Momentum = spec.Optimizer.Momentum,
            WeightDecay = spec.Optimizer.WeightDecay,
            Schedule = spec.Schedule.ToString(),
            Loss = spec.Loss.Name(),
            Epochs = spec.Budget.Epochs,
            BatchSize = spec.Budget.BatchSize,
            MaxSteps = spec.Budget.MaxSteps,
            ClipNorm = spec.ClipNorm,
            ClipValue = spec.ClipValue,
            Seed = spec.Seed,
            UseDouble = spec.DType == NumberType.Float64,
        };
    }

    /// <summary>0.1 for the SGD family (PyTorch has no default there), PyTorch's defaults otherwise (0.01 RMSProp, 0.001 Adam).</summary>
    public static double DefaultLearningRate(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd or OptimizerKind.Momentum or OptimizerKind.Nesterov => 0.1,
        OptimizerKind.RmsProp => 0.01,
        _ => 0.001,
    };

    private static ModelSpecDocument Network(RunConfig config)
    {
        if (config.ModelSpec is not null)
            return ModelSpecJson.Parse(config.ModelSpec);

        // The flag layouts do not depend on the input width; 1 stands in for the data's.
        var flags = new NetworkSpec(1, config.Hidden, 1, config.ParsedActivation)
        {
            Norm = config.ParsedNorm,
            Residual = config.Residual ? ResidualStyle.PreActivation : ResidualStyle.None,
            Dropout = config.Dropout,
        };
        return new ModelSpecDocument(null, flags.Layout(), null);
    }
}
