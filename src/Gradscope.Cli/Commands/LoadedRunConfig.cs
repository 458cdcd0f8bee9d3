using System.Numerics;
using Gradscope.Data;
using Gradscope.Serialization;
using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary>The run configuration of a model file on data, for the commands that read one (diagnose, inspect).</summary>
internal static class LoadedRunConfig
{
    /// <summary>
    /// The file's layers under the tensor names the network gives them (so rewrites keep them),
    /// the data as given (no split, no standardization); the dense layers carry no initializer of
    /// their own, since their weights are the file's (the run spec says <c>"from-file"</c>).
    /// </summary>
    public static RunConfig For<T>(LoadedModel<T> loaded, Dataset data, string? label, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layers = LayerRewrites.InitializeDense(loaded.Spec.Layout(), null);
        return LayerPaths.Pin(new RunConfig
        {
            Data = data.Name,
            DataOptions = DataOptions.Default with { Label = label },
            TestSplit = 0,
            Standardize = false,
            Seed = seed,
            UseDouble = typeof(T) == typeof(double),
            Loss = data.Regression is null ? "cross-entropy" : "mse",
            ModelSpec = ModelSpecJson.Write(null, layers, null, outputModule: loaded.Spec.OutputModule),
        });
    }
}
