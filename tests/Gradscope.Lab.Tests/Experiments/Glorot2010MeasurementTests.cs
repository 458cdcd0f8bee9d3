using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Lab.Experiments;
using Gradscope.Layers;
using Gradscope.Losses;

namespace Gradscope.Lab.Tests.Experiments;

public sealed class Glorot2010MeasurementTests
{
    [Fact]
    public void Variance_RemovesTheMeanAndScales()
    {
        double[] values = [1, 2, 3, 4];

        // mean 2.5, squares 30 / 4 = 7.5, variance 7.5 - 6.25 = 1.25; scaled by 2: 4 x 1.25 = 5.
        Assert.Equal(1.25, InitGradientProbe.Variance<double>(values), 12);
        Assert.Equal(5.0, InitGradientProbe.Variance<double>(values, 2), 12);
    }

    [Fact]
    public void Measure_TwoLayerNetwork_MatchesTheHandComputedBackPropagatedGradient()
    {
        // One hidden dense layer (identity) then the output layer; cross-entropy over 2 rows.
        var hidden = new Dense<double>(2, 2);
        var output = new Dense<double>(2, 2);
        double[] w1 = [1, 0, 0, 1];
        double[] w2 = [2, -1, 0.5, 1];
        w1.CopyTo(hidden.Weight.Value.Span);
        w2.CopyTo(output.Weight.Value.Span);
        var network = new Sequential<double>([hidden, output]);
        var data = new Dataset("hand", [1, 0, 0, 1], [0, 1], 2, 2);

        var measured = InitGradientProbe.Measure(network, Loss.Parse<double>("cross-entropy"), data, 2);

        // Row x: h = x, logits z = W2 h; dCost/dz = softmax(z) - onehot; dCost/dh = dCost/dz W2.
        var perExample = new List<double>();
        for (int r = 0; r < 2; r++)
        {
            double h0 = r == 0 ? 1 : 0, h1 = r == 0 ? 0 : 1;
            double z0 = (w2[0] * h0) + (w2[1] * h1), z1 = (w2[2] * h0) + (w2[3] * h1);
            double p0 = Math.Exp(z0) / (Math.Exp(z0) + Math.Exp(z1));
            double g0 = p0 - (r == 0 ? 1 : 0), g1 = (1 - p0) - (r == 1 ? 1 : 0);
            perExample.Add((g0 * w2[0]) + (g1 * w2[2]));
            perExample.Add((g0 * w2[1]) + (g1 * w2[3]));
        }

        Assert.Single(measured.DeltaVariance);
        Assert.Equal(InitGradientProbe.Variance<double>(perExample.ToArray()), measured.DeltaVariance[0], 10);
        Assert.True(measured.DeltaVariance[0] > 0);
        Assert.Equal(0.0, hidden.Weight.Grad.Span[0]); // cleared afterwards, so training starts clean
    }

    [Fact]
    public void MinMovingMean_TakesTheSmallestWindowWithinTheFirstEpoch()
    {
        var trace = new Trace(["0", "1"], [2, 2], [2, 2], "sigmoid", 8);
        double[] top = [0.5, 0.4, 0.1, 0.05, 0.2, 0.0, 0.0];
        for (int s = 0; s < top.Length; s++)
        {
            var stats = new double[LayerStatNames.Count * 2];
            stats[((int)LayerStat.ActMean * 2) + 1] = top[s];
            trace.AppendStep(s, 1, 0.1, 0, stats);
        }

        // Windows of 2 over the first 5 steps: 0.45, 0.25, 0.075, 0.125; the zeros at steps 5 and 6 are epoch 2.
        Assert.Equal(0.075, Glorot2010Trial.MinMovingMean(trace, 1, 5, 2), 12);
        Assert.Equal(0.05, Glorot2010Trial.MinMovingMean(trace, 1, 5, 1), 12);
    }

    [Fact]
    public void Spread_IsLargestOverSmallest()
    {
        Assert.Equal(4.0, InitGradients.Spread([2, 8, 4]), 12);
        Assert.Equal(double.PositiveInfinity, InitGradients.Spread([0, 1]));
        var init = new InitGradients([1e-4, 1e-3, 1e-2], [1, 1, 1]);
        Assert.Equal(100, init.LastOverFirst, 9);
        Assert.Equal(1.0, init.OrdersLost, 12);
    }
}
