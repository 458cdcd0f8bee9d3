using System.Numerics;
using Gradscope.Data;
using Gradscope.Lab.Runs;
using Gradscope.Layers;
using Gradscope.Losses;
using Gradscope.Tensors;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// The back-propagated gradient at initialization, per hidden layer (Glorot and Bengio 2010,
/// Sec. 4.2.1 and Fig. 7): the variance of dCost/ds, s a hidden layer's pre-activation, and the
/// variance of dCost/dW, over every (example, unit) pair of one batch, before any update.
/// </summary>
/// <param name="DeltaVariance">Per hidden layer (input to output), the variance of the per-example dCost/ds.</param>
/// <param name="WeightGradVariance">Per hidden layer, the variance of the elements of dCost/dW (the batch's mean cost).</param>
internal sealed record InitGradients(double[] DeltaVariance, double[] WeightGradVariance)
{
    /// <summary>Largest over smallest of <see cref="DeltaVariance"/> across the hidden layers (1: level).</summary>
    public double DeltaSpread => Spread(DeltaVariance);

    /// <summary>Last hidden layer's over the first's <see cref="DeltaVariance"/> (above 1: smaller toward the input).</summary>
    public double LastOverFirst => DeltaVariance[^1] / DeltaVariance[0];

    /// <summary>
    /// Orders of magnitude the back-propagated gradient's RMS loses from the last hidden layer to the
    /// first: log10 of sqrt(<see cref="LastOverFirst"/>).
    /// </summary>
    public double OrdersLost => 0.5 * Math.Log10(LastOverFirst);

    /// <summary>Largest over smallest of positive values; infinity when one is not positive.</summary>
    public static double Spread(IReadOnlyList<double> values)
    {
        double min = double.PositiveInfinity, max = 0;
        foreach (double v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return min > 0 ? max / min : double.PositiveInfinity;
    }
}

/// <summary>Measures <see cref="InitGradients"/> on a run's network before it trains.</summary>
internal static class InitGradientProbe
{
    /// <summary>
    /// One forward and backward pass over the first <paramref name="rows"/> training rows of
    /// <paramref name="run"/>, with no update; the gradients are cleared afterwards so training starts
    /// as it would have.
    /// </summary>
    public static InitGradients Measure<T>(PreparedRun<T> run, int rows)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Measure(run.Network, run.Trainer.Loss, run.Train, rows);

    /// <summary>As <see cref="Measure{T}(PreparedRun{T}, int)"/>, for a network, its loss and data.</summary>
    public static InitGradients Measure<T>(Sequential<T> network, ILoss<T> loss, Dataset data, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = Math.Clamp(rows, 1, data.Count);
        var indices = new int[n];
        for (int i = 0; i < n; i++)
            indices[i] = i;
        var input = new Matrix<T>(n, data.FeatureCount);
        data.CopyRows<T>(indices, input.Span);
        var labels = new int[n];
        data.CopyLabels(indices, labels);

        network.ZeroGrad();
        var output = network.Forward(input, training: true);
        var gradOutput = new Matrix<T>(n, output.Cols);
        loss.Compute(output, labels, gradOutput);
        network.Backward(gradOutput);
        var result = Read(HiddenDense(network), n);
        network.ZeroGrad();
        return result;
    }

    /// <summary>The dense layers before the output layer, input to output.</summary>
    public static List<Dense<T>> HiddenDense<T>(Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dense = new List<Dense<T>>();
        foreach (var layer in network.Layers)
        {
            if (layer is Dense<T> d)
                dense.Add(d);
        }

        if (dense.Count > 0)
            dense.RemoveAt(dense.Count - 1);
        return dense;
    }

    /// <summary>
    /// Population variance of <paramref name="values"/> times <paramref name="scale"/> squared (the
    /// loss is a batch mean, so each example's dCost/ds is <c>rows</c> times the stored one).
    /// </summary>
    public static double Variance<T>(ReadOnlySpan<T> values, double scale = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.IsEmpty)
            return double.NaN;
        double sum = 0, squares = 0;
        foreach (var value in values)
        {
            double v = double.CreateTruncating(value) * scale;
            sum += v;
            squares += v * v;
        }

        double mean = sum / values.Length;
        return Math.Max(0, (squares / values.Length) - (mean * mean));
    }

    private static InitGradients Read<T>(List<Dense<T>> hidden, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var delta = new double[hidden.Count];
        var weight = new double[hidden.Count];
        for (int l = 0; l < hidden.Count; l++)
        {
            var gradOutput = hidden[l].GradOutput ?? throw new InvalidOperationException("The backward pass left no gradient.");
            delta[l] = Variance<T>(gradOutput.Span, rows);
            weight[l] = Variance<T>(hidden[l].Weight.Grad.Span);
        }

        return new InitGradients(delta, weight);
    }
}
