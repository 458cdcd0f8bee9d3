using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary>
/// A model spec file's layers checked, before any data is loaded, for a weight matrix larger than
/// one array can hold on any machine; the message names the file (exit code 1, as for every other
/// problem in the file).
/// </summary>
internal static class SpecShapes
{
    public static void Check(ModelSpecDocument spec, string path)
    {
        // The data gives the sizes a spec leaves out; 1 input and 2 outputs stand in for them here.
        var network = NetworkSpec.FromLayers(spec.Input ?? 1, spec.Layers, spec.Output ?? 2);
        var estimate = MemoryEstimate.For(network, new MemoryShape { BatchSize = 1 });
        if (estimate.ArrayLimitProblem(path) is { } problem)
            throw new GradscopeException(problem);
    }
}
