using Gradscope.Activations;
using Gradscope.Lab.Experiments;
using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Lab.Tests.Experiments.Squashing;

public sealed class SquashingMeasurementTests
{
    [Fact]
    public void MeanMovement_ZeroPerturbation_MovesNothingAndRestoresWeights()
    {
        var network = new SquashingNetwork(Activation.Parse("sigmoid"), new Initialization.Standard(), 8, 3, 3, new SeededRandom(4));
        var batch = GridSpread.Grid(4, -2, 2);
        var weights = network.Dense[1].Weight.Value.Span.ToArray();

        double movement = LayerSensitivity.MeanMovement(network.Model, network.Dense[1], batch, 0.0, 3, new SeededRandom(5));

        Assert.Equal(0.0, movement);
        Assert.Equal(weights, network.Dense[1].Weight.Value.Span.ToArray());
    }

    [Fact]
    public void Movement_OneLinearLayer_EqualsRmsOfDx()
    {
        var dense = new Dense<double>(2, 2);
        dense.Weight.Value.Span.Fill(0.7);
        var model = new Sequential<double>([dense]);
        var batch = new Matrix<double>(2, 2, [1.0, 2.0, -3.0, 0.5]);
        var d = new Matrix<double>(2, 2, [0.5, -1.0, 2.0, 0.25]);

        double movement = LayerSensitivity.Movement(model, dense, batch, d);

        // D x for x = (1, 2): (0.5 - 2, 2 + 0.5) = (-1.5, 2.5); for x = (-3, 0.5): (-1.5 - 0.5, -6 + 0.125) = (-2, -5.875).
        double expected = Math.Sqrt(((1.5 * 1.5) + (2.5 * 2.5) + (2.0 * 2.0) + (5.875 * 5.875)) / 4);
        Assert.Equal(expected, movement, 12);
        Assert.Equal(0.7, dense.Weight.Value[1, 0]);
    }

    [Fact]
    public void MeanMovement_OneLinearLayer_GrowsInProportionToTheFraction()
    {
        var dense = new Dense<double>(2, 3);
        new Initialization.Standard().Initialize(dense.Weight.Value, new SeededRandom(1));
        var model = new Sequential<double>([dense]);
        var batch = GridSpread.Grid(5, -1, 1);

        double small = LayerSensitivity.MeanMovement(model, dense, batch, 0.1, 4, new SeededRandom(9));
        double large = LayerSensitivity.MeanMovement(model, dense, batch, 1.0, 4, new SeededRandom(9));

        // Linear in D, and the same draws rescaled: exactly ten times.
        Assert.Equal(10 * small, large, 10);
    }

    [Fact]
    public void Spread_IdentityMap_IsUnchangedAndMatchesTheHandValue()
    {
        var grid = GridSpread.Grid(3, -1, 1);
        var identity = new Sequential<double>([Activation.Parse("identity").CreateLayer<double>(2)]);

        double before = GridSpread.Spread(grid);
        double after = GridSpread.Spread(identity.Forward(grid, training: false));

        // Coordinates -1, 0, 1 with mean 0: each has mean square 2/3, two of them.
        Assert.Equal(Math.Sqrt(4.0 / 3), before, 12);
        Assert.Equal(before, after, 12);
    }

    [Fact]
    public void Grid_RowsRunLeftToRightFromTheTop()
    {
        var grid = GridSpread.Grid(3, -2, 2);

        Assert.Equal(9, grid.Rows);
        Assert.Equal([-2.0, 2.0], grid.Row(0).ToArray());
        Assert.Equal([2.0, 2.0], grid.Row(2).ToArray());
        Assert.Equal([-2.0, -2.0], grid.Row(6).ToArray());
    }

    [Fact]
    public void MeanCosine_ParallelAndOrthogonalRows_GivesOneAndZero()
    {
        var points = new Matrix<double>(3, 2, [1.0, 0.0, 2.0, 0.0, 0.0, 3.0]);

        Assert.Equal(1.0, GridSpread.MeanCosine(points, [(0, 1)]), 12);
        Assert.Equal(0.5, GridSpread.MeanCosine(points, [(0, 1), (1, 2)]), 12);
    }

    [Fact]
    public void WeightGradientRms_MatchesAFiniteDifferenceOfTheLoss()
    {
        var network = new SquashingNetwork(Activation.Parse("sigmoid"), new Initialization.Standard(), 4, 2, 3, new SeededRandom(2));
        var batch = GridSpread.Grid(3, -2, 2);
        int[] labels = [0, 1, 2, 0, 1, 2, 0, 1, 2];
        LayerSensitivity.WeightGradientRms(network.Model, network.Dense, batch, labels);
        double analytic = network.Dense[0].Weight.Grad[1, 0];

        var w = network.Dense[0].Weight.Value;
        const double h = 1e-6;
        w[1, 0] += h;
        double up = Loss(network, batch, labels);
        w[1, 0] -= 2 * h;
        double down = Loss(network, batch, labels);

        Assert.Equal((up - down) / (2 * h), analytic, 8);
    }

    [Fact]
    public void PerExampleGradientRms_EqualsTheRmsOfEachExamplesOwnGradientRms()
    {
        var network = new SquashingNetwork(Activation.Parse("relu"), new Initialization.HeNormal(), 5, 2, 3, new SeededRandom(6));
        var batch = GridSpread.Grid(2, -1.5, 1);
        int[] labels = [2, 0, 1, 1];
        double sumOfSquares = 0;
        for (int i = 0; i < batch.Rows; i++)
        {
            var one = new Matrix<double>(1, 2, batch.Row(i).ToArray());
            double rms = LayerSensitivity.WeightGradientRms(network.Model, network.Dense, one, [labels[i]])[1];
            sumOfSquares += rms * rms;
        }

        LayerSensitivity.WeightGradientRms(network.Model, network.Dense, batch, labels);
        double perExample = LayerSensitivity.PerExampleGradientRms(network.Dense[1], network.Hidden[0].Output);

        Assert.Equal(Math.Sqrt(sumOfSquares / batch.Rows), perExample, 12);
    }

    private static double Loss(SquashingNetwork network, Matrix<double> batch, int[] labels)
    {
        var logits = network.Model.Forward(batch, training: false);
        double sum = 0;
        for (int r = 0; r < logits.Rows; r++)
        {
            ReadOnlySpan<double> z = logits.Row(r);
            double total = 0;
            foreach (double v in z)
                total += Math.Exp(v);
            sum += Math.Log(total) - z[labels[r]];
        }

        return sum / logits.Rows;
    }
}
