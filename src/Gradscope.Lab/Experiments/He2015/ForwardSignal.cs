using System.Numerics;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Layers;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// The forward signal of a network at initialization, as He et al. (2015, eq. 8-10) follow it: per
/// hidden layer l, the mean square E[x_l^2] of its output (after the activation), over a batch and
/// all units, relative to the input's mean square E[x_0^2]. For ReLU with weights of variance
/// v / n_in and zero biases, Var[y_l] = n_in v E[x_(l-1)^2] and E[x_l^2] = Var[y_l] / 2, so the
/// ratio is (v / 2)^l: 2^-l with Xavier's v = 1 and 1 with He's v = 2.
/// </summary>
internal static class ForwardSignal
{
    /// <summary>Per dense layer (hidden layers and the output), E[x_l^2] / E[x_0^2] over the rows of <paramref name="batch"/>.</summary>
    /// <exception cref="GradscopeException">The batch does not fit the network.</exception>
    public static double[] MeanSquareRatios<T>(Sequential<T> network, Dataset batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(batch);

        // An inspection pass reads each dense layer's output statistics after one forward pass; its
        // backward pass leaves gradients the trainer zeroes before its first step.
        var layers = Inspection.Run(network, batch, InspectionMode.Eval).Layers;
        double input = InputMeanSquare(batch);
        var ratios = new double[layers.Count];
        for (int l = 0; l < ratios.Length; l++)
            ratios[l] = ((layers[l].ActStd * layers[l].ActStd) + (layers[l].ActMean * layers[l].ActMean)) / input;
        return ratios;
    }

    /// <summary>E[x_0^2] over every feature of every row.</summary>
    public static double InputMeanSquare(Dataset batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        double squares = 0;
        foreach (double v in batch.Features)
            squares += v * v;
        return squares / batch.Features.Length;
    }

    /// <summary>The first <paramref name="rows"/> rows of <paramref name="data"/> (all when it has fewer).</summary>
    public static Dataset FirstRows(Dataset data, int rows)
    {
        ArgumentNullException.ThrowIfNull(data);
        var indices = new int[Math.Min(rows, data.Count)];
        for (int i = 0; i < indices.Length; i++)
            indices[i] = i;
        return data.Subset(indices);
    }
}
