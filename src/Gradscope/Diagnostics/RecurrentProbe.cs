using System.Numerics;
using Gradscope.Recurrent;
using Gradscope.Tensors;

namespace Gradscope.Diagnostics;

/// <summary>
/// The layer statistics of a recurrent layer, so tables and findings treat it as one monitored
/// layer: gradient norm and RMS over its two weight matrices (<c>weight_ih_l0</c>,
/// <c>weight_hh_l0</c>), its biases' gradient norm, delta RMS (dL/d output), the moments of its
/// output hidden states, the saturated fraction (|h| above 0.99, for a tanh rnn) and the recurrent
/// weight's norm. Allocation-free; read right after a backward pass.
/// </summary>
internal static class RecurrentProbe
{
    private const double SaturatedLevel = 0.99;

    /// <summary>Records <paramref name="layer"/>'s statistics at trace step <paramref name="s"/>, layer <paramref name="l"/>; false when one is not finite.</summary>
    public static bool Measure<T>(Trace trace, int s, int l, SequenceLayer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cell = layer.Cell;
        double weightSquares = Reductions.SumOfSquares<T>(cell.WeightIh.Grad.Span) + Reductions.SumOfSquares<T>(cell.WeightHh.Grad.Span);
        int weightCount = cell.WeightIh.Grad.Length + cell.WeightHh.Grad.Length;
        trace.Set(LayerStat.GradNorm, s, l, Math.Sqrt(weightSquares));
        trace.Set(LayerStat.GradRms, s, l, Math.Sqrt(weightSquares / weightCount));
        trace.Set(LayerStat.BiasGradNorm, s, l, Math.Sqrt(Reductions.SumOfSquares<T>(cell.BiasIh.Grad.Span) + Reductions.SumOfSquares<T>(cell.BiasHh.Grad.Span)));
        var delta = layer.GradOutput;
        trace.Set(LayerStat.DeltaRms, s, l, delta is null || delta.Length == 0 ? 0 : Math.Sqrt(Reductions.SumOfSquares<T>(delta.Span) / delta.Length));

        var output = layer.LastOutput.Span;
        var (sum, squares) = Reductions.SumAndSquares<T>(output);
        int n = Math.Max(1, output.Length);
        double mean = sum / n;
        trace.Set(LayerStat.ActMean, s, l, mean);
        trace.Set(LayerStat.ActStd, s, l, Math.Sqrt(Math.Max(0, (squares / n) - (mean * mean))));
        trace.Set(LayerStat.Saturated, s, l, cell is SimpleRnn<T> { Nonlinearity: "tanh" } ? Saturated(output) : 0);
        trace.Set(LayerStat.Dead, s, l, 0);
        trace.Set(LayerStat.WeightNorm, s, l, Math.Sqrt(Reductions.SumOfSquares<T>(cell.WeightHh.Value.Span)));
        trace.Set(LayerStat.UpdateRatio, s, l, double.NaN);
        bool finite = double.IsFinite(weightSquares) && double.IsFinite(squares);
        trace.Set(LayerStat.NonFinite, s, l, finite ? 0 : 1);
        return finite;
    }

    private static double Saturated<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.IsEmpty)
            return 0;
        int count = 0;
        foreach (var v in values)
            count += Math.Abs(double.CreateTruncating(v)) > SaturatedLevel ? 1 : 0;
        return (double)count / values.Length;
    }
}
