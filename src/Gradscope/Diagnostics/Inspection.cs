using System.Numerics;
using Gradscope.Data;
using Gradscope.Layers;
using Gradscope.Losses;
using Gradscope.Tensors;

namespace Gradscope.Diagnostics;

/// <summary>How an inspection pass runs the network, as PyTorch's <c>model.train()</c> and <c>model.eval()</c>.</summary>
public enum InspectionMode
{
    /// <summary>Batch norm normalizes with the batch's statistics (and updates its running ones); dropout drops.</summary>
    Train,

    /// <summary>Batch norm normalizes with its running statistics; dropout is the identity.</summary>
    Eval,
}

/// <summary>
/// One forward and backward pass of a network over a whole data set (mean softmax cross-entropy
/// against its labels, or mean squared error against regression targets), without any update, and the per-layer statistics it leaves behind.
/// </summary>
public static class Inspection
{
    /// <summary>The mean loss and, per dense layer, its gradient and activation statistics; per trainable tensor, its gradient norm.</summary>
    /// <exception cref="GradscopeException">The data does not fit the network.</exception>
    public static InspectionResult Run<T>(Sequential<T> network, Dataset data, InspectionMode mode = InspectionMode.Train)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != network.InputSize)
            throw new GradscopeException($"Shape mismatch: the data has {data.FeatureCount} features but the model expects {network.InputSize} inputs.");
        if (data.ClassCount > network.OutputSize)
            throw new GradscopeException($"Shape mismatch: the data has {data.ClassCount} classes but the model has only {network.OutputSize} outputs.");
        if (data.Count == 0)
            throw new GradscopeException("The data has no rows.");
        Training.StepScoring.CheckOutputs(network, data, "inspected");

        var rows = new int[data.Count];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = i;
        var input = new Matrix<T>(data.Count, data.FeatureCount);
        data.CopyRows<T>(rows, input.Span);

        network.ZeroGrad();
        var output = network.Forward(input, training: mode == InspectionMode.Train);
        var gradOutput = new Matrix<T>(output.Rows, output.Cols);
        var loss = data.Regression is { } regression
            ? new MeanSquaredError<T>().ComputeTargets(output, Targets<T>(regression), gradOutput)
            : new SoftmaxCrossEntropy<T>().Compute(output, data.StepLabels?.Values ?? data.Labels, gradOutput);
        network.Backward(gradOutput);
        return new InspectionResult(double.CreateTruncating(loss), LayerProbe.Measure(network), ParameterGradients(network));
    }

    private static T[] Targets<T>(RegressionTargets regression)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var targets = new T[regression.Values.Length];
        for (int i = 0; i < targets.Length; i++)
            targets[i] = T.CreateTruncating(regression.Values[i]);
        return targets;
    }

    /// <summary>The L2 norm (summed in double) of every trainable tensor's gradient, under its state-dict name, in network order.</summary>
    public static IReadOnlyList<ParameterGradient> ParameterGradients<T>(Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new List<ParameterGradient>(network.Parameters.Count);
        foreach (var leaf in LayerTree.Leaves(network))
        {
            foreach (var parameter in leaf.Layer.Parameters)
            {
                double norm = Math.Sqrt(Reductions.SumOfSquares<T>(parameter.Grad.Span));
                result.Add(new ParameterGradient(ModulePath.Join(leaf.Path, parameter.Name), norm));
            }
        }

        return result;
    }
}

/// <summary>
/// The mean loss of an inspection pass, the statistics of each dense layer along the main path, and
/// the gradient norm of each trainable tensor (buffers such as running statistics left out), both in network order.
/// </summary>
public sealed record InspectionResult(double Loss, IReadOnlyList<LayerStatistics> Layers, IReadOnlyList<ParameterGradient> Parameters);

/// <summary>A trainable tensor's state-dict name (<c>net.0.weight</c>) and the L2 norm of its gradient.</summary>
public readonly record struct ParameterGradient(string Name, double GradNorm);
