using System.Numerics;
using Gradscope.Data;
using Gradscope.Layers;
using Gradscope.Losses;
using Gradscope.Tensors;

namespace Gradscope.Diagnostics;

/// <summary>
/// One forward and backward pass of a network over a whole data set (mean softmax cross-entropy
/// against its labels), without any update, and the per-layer statistics it leaves behind.
/// </summary>
public static class Inspection
{
    /// <summary>The mean loss and, per dense layer, its gradient and activation statistics.</summary>
    /// <exception cref="GradscopeException">The data does not fit the network.</exception>
    public static InspectionResult Run<T>(Sequential<T> network, Dataset data)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.FeatureCount != network.InputSize)
            throw new GradscopeException($"Shape mismatch: the data has {data.FeatureCount} features but the model expects {network.InputSize} inputs.");
        if (data.ClassCount > network.OutputSize)
            throw new GradscopeException($"Shape mismatch: the data has {data.ClassCount} classes but the model has only {network.OutputSize} outputs.");
        if (data.Count == 0)
            throw new GradscopeException("The data has no rows.");

        var rows = new int[data.Count];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = i;
        var input = new Matrix<T>(data.Count, data.FeatureCount);
        data.CopyRows<T>(rows, input.Span);

        network.ZeroGrad();
        var output = network.Forward(input, training: false);
        var gradOutput = new Matrix<T>(output.Rows, output.Cols);
        var loss = new SoftmaxCrossEntropy<T>().Compute(output, data.Labels, gradOutput);
        network.Backward(gradOutput);
        return new InspectionResult(double.CreateTruncating(loss), LayerProbe.Measure(network));
    }
}

/// <summary>The mean loss of an inspection pass and the statistics of each dense layer, in network order.</summary>
public sealed record InspectionResult(double Loss, IReadOnlyList<LayerStatistics> Layers);
