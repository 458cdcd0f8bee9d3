using System.Numerics;
using Gradscope.Data;
using Gradscope.Lab.Runs;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Serialization;
using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary>The run description of a model file on data, for the commands that read one (diagnose, inspect): its metadata turned into a <see cref="RunSpec"/> once, here.</summary>
internal static class LoadedRun
{
    /// <summary>
    /// The file's layers under the tensor names the network gives them (so rewrites keep them),
    /// the data as given (no split, no standardization); the dense layers carry no initializer of
    /// their own, since their weights are the file's (the run spec says <c>"from-file"</c>); the
    /// network's initializer is its first activation's recommended one, for the layers a rewrite
    /// adds. SGD at its default learning rate until the caller says otherwise.
    /// </summary>
    public static RunSpec For<T>(LoadedModel<T> loaded, Dataset data, string? label, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = new ModelSpecDocument(null, LayerRewrites.InitializeDense(loaded.Spec.Layout(), null), null) { OutputModule = loaded.Spec.OutputModule };
        var spec = RunSpecs.ForNetwork(data.Name, network) with
        {
            Data = new DataSpec { Source = data.Name, Label = label, TestSplit = 0, Standardize = false },
            Seed = seed,
            DType = typeof(T) == typeof(double) ? NumberType.Float64 : NumberType.Float32,
            Loss = data.Regression is null ? LossKind.CrossEntropy : LossKind.MeanSquaredError,
        };
        return RunLayerPaths.Pin(spec);
    }

    /// <summary>
    /// <paramref name="spec"/> trained with <paramref name="optimizer"/> (a name <c>--optimizer</c>
    /// gave, already checked) at <paramref name="learningRate"/> (null: its default).
    /// </summary>
    public static RunSpec WithOptimizer(RunSpec spec, string optimizer, double? learningRate)
    {
        var kind = OptimizerKinds.Parse(optimizer);
        return spec with { Optimizer = new OptimizerSpec(kind, learningRate ?? RunSpecs.DefaultLearningRate(kind)) };
    }
}
