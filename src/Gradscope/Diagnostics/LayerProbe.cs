using System.Numerics;
using Gradscope.Layers;

namespace Gradscope.Diagnostics;

/// <summary>
/// Reads <see cref="LayerStatistics"/> for every dense layer of a network from what the layers
/// already hold after a forward and backward pass (their taps). The naive oracle of
/// <see cref="GradientMonitor{T}"/>'s fused, vectorized path (as llm.c keeps
/// <c>matmul_forward_naive</c> beside <c>matmul_forward</c>): one value at a time, in index order,
/// with the definition every reported norm uses: each value widened to double, squared in double
/// and summed in double. Tests hold every monitor statistic to it.
/// </summary>
internal static class LayerProbe
{
    /// <summary>Statistics per dense layer, in network order.</summary>
    public static IReadOnlyList<LayerStatistics> Measure<T>(Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new List<LayerStatistics>();
        foreach (var leaf in LayerTree.Leaves(network))
        {
            if (leaf.Layer is Recurrent.SequenceLayer<T> sequence)
                result.Add(Measure(leaf.Path, sequence));
        }

        foreach (var layer in MonitoredLayers.Find(network))
            result.Add(Measure(layer.Name, layer.Dense, layer.Activation));

        return result;
    }

    private static LayerStatistics Measure<T>(string name, Dense<T> dense, ActivationLayer<T>? activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double gradSquares = SumOfSquares<T>(dense.Weight.Grad.Span);
        var output = activation?.Output ?? dense.Output;
        var (mean, std) = MeanStd<T>(output.Span);
        double saturated = 0, dead = 0;
        if (activation is not null && output.Length > 0)
        {
            (saturated, dead) = Saturation(activation, output.Length);
        }

        var delta = dense.GradOutput;
        double deltaRms = delta is null || delta.Length == 0 ? 0 : Math.Sqrt(SumOfSquares<T>(delta.Span) / delta.Length);
        return new LayerStatistics(
            name,
            Math.Sqrt(gradSquares),
            Math.Sqrt(gradSquares / dense.Weight.Grad.Length),
            Math.Sqrt(SumOfSquares<T>(dense.Bias.Grad.Span)),
            deltaRms,
            mean,
            std,
            saturated,
            dead,
            Math.Sqrt(SumOfSquares<T>(dense.Weight.Value.Span)));
    }

    // A recurrent layer as one monitored layer: its two weight matrices, its biases, its output hidden states.
    private static LayerStatistics Measure<T>(string name, Recurrent.SequenceLayer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cell = layer.Cell;
        double gradSquares = SumOfSquares<T>(cell.WeightIh.Grad.Span) + SumOfSquares<T>(cell.WeightHh.Grad.Span);
        int count = cell.WeightIh.Grad.Length + cell.WeightHh.Grad.Length;
        var (mean, std) = MeanStd<T>(layer.LastOutput.Span);
        double saturated = 0;
        if (cell is Recurrent.SimpleRnn<T> { Nonlinearity: "tanh" } && layer.LastOutput.Length > 0)
        {
            int n = 0;
            foreach (var v in layer.LastOutput.Span)
                n += Math.Abs(double.CreateTruncating(v)) > 0.99 ? 1 : 0;
            saturated = (double)n / layer.LastOutput.Length;
        }

        var delta = layer.GradOutput;
        double deltaRms = delta is null || delta.Length == 0 ? 0 : Math.Sqrt(SumOfSquares<T>(delta.Span) / delta.Length);
        return new LayerStatistics(name, Math.Sqrt(gradSquares), Math.Sqrt(gradSquares / count),
            Math.Sqrt(SumOfSquares<T>(cell.BiasIh.Grad.Span) + SumOfSquares<T>(cell.BiasHh.Grad.Span)), deltaRms, mean, std, saturated, 0,
            Math.Sqrt(SumOfSquares<T>(cell.WeightHh.Value.Span)));
    }

    private static (double Saturated, double Dead) Saturation<T>(ActivationLayer<T> activation, int elements)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var alive = new T[activation.Size];
        long saturated = activation.MeasureSaturation(alive).Saturated;
        int dead = 0;
        foreach (var flag in alive)
        {
            if (flag == T.Zero)
                dead++;
        }

        return ((double)saturated / elements, (double)dead / alive.Length);
    }

    /// <summary>Sum of squares, one value at a time: each widened to double, squared and added in double.</summary>
    public static double SumOfSquares<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double squares = 0;
        foreach (var v in values)
        {
            double d = double.CreateTruncating(v);
            squares += d * d;
        }

        return squares;
    }

    /// <summary>Mean and population standard deviation, one value at a time in double.</summary>
    public static (double Mean, double Std) MeanStd<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.IsEmpty)
            return (0, 0);
        double sum = 0, squares = 0;
        foreach (var v in values)
        {
            double d = double.CreateTruncating(v);
            sum += d;
            squares += d * d;
        }

        double mean = sum / values.Length;
        return (mean, Math.Sqrt(Math.Max(0, (squares / values.Length) - (mean * mean))));
    }
}
