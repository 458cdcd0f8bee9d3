using System.Numerics;
using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Diagnostics;

/// <summary>
/// Reads <see cref="LayerStatistics"/> for every dense layer of a network from what the layers
/// already hold after a forward and backward pass (their taps). Sums run in double.
/// </summary>
public static class LayerProbe
{
    /// <summary>Statistics per dense layer, in network order.</summary>
    public static IReadOnlyList<LayerStatistics> Measure<T>(Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new List<LayerStatistics>();
        foreach (var layer in MonitoredLayers.Find(network))
            result.Add(Measure(layer.Name, layer.Dense, layer.Activation));

        return result;
    }

    private static LayerStatistics Measure<T>(string name, Dense<T> dense, ActivationLayer<T>? activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double gradSquares = Reductions.SumOfSquares<T>(dense.Weight.Grad.Span);
        var output = activation?.Output ?? dense.Output;
        var (mean, std) = MeanStd(output.Span);
        double saturated = 0, dead = 0;
        if (activation is not null && output.Length > 0)
        {
            (saturated, dead) = Saturation(activation, output.Length);
        }

        var delta = dense.GradOutput;
        double deltaRms = delta is null || delta.Length == 0 ? 0 : Math.Sqrt(Reductions.SumOfSquares<T>(delta.Span) / delta.Length);
        return new LayerStatistics(
            name,
            Math.Sqrt(gradSquares),
            Math.Sqrt(gradSquares / dense.Weight.Grad.Length),
            Math.Sqrt(Reductions.SumOfSquares<T>(dense.Bias.Grad.Span)),
            deltaRms,
            mean,
            std,
            saturated,
            dead,
            Math.Sqrt(Reductions.SumOfSquares<T>(dense.Weight.Value.Span)));
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

    /// <summary>Mean and population standard deviation, in double.</summary>
    public static (double Mean, double Std) MeanStd<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.IsEmpty)
            return (0, 0);
        var (sum, squares) = Reductions.SumAndSquares(values);
        double mean = sum / values.Length;
        return (mean, Math.Sqrt(Math.Max(0, (squares / values.Length) - (mean * mean))));
    }
}
