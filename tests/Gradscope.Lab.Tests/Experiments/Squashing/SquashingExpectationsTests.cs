using Gradscope.Lab.Experiments;

namespace Gradscope.Lab.Tests.Experiments.Squashing;

public sealed class SquashingExpectationsTests
{
    [Theory]
    [InlineData(1e-3, true)]
    [InlineData(2e-2, false)]
    public void SigmoidInsensitive_ChecksTheFirstOverLastRatio(double firstMovement, bool passes)
    {
        var cell = Cell(SquashingFamily.Sigmoid, first: firstMovement, spread: [1.0, 0.5, 0.2, 0.1]);

        Assert.Equal(passes, SquashingExpectations.SigmoidInsensitive(cell).Passed);
    }

    [Theory]
    [InlineData(0.5, true)]
    [InlineData(20, false)]
    [InlineData(0.05, false)]
    public void ReluBalanced_NeedsTheRatioWithinTenfold(double firstMovement, bool passes)
    {
        var cell = Cell(SquashingFamily.Relu, first: firstMovement, spread: [1.0, 1.0, 1.0, 1.0]);

        Assert.Equal(passes, SquashingExpectations.ReluBalanced(cell).Passed);
    }

    [Fact]
    public void SigmoidShrinks_FailsWhenOneLayerAfterTheFirstGrows()
    {
        var shrinking = Cell(SquashingFamily.Sigmoid, first: 1e-3, spread: [2.0, 0.5, 0.2, 0.1]);
        var growing = Cell(SquashingFamily.Sigmoid, first: 1e-3, spread: [2.0, 0.5, 0.6, 0.1]);

        var pass = SquashingExpectations.SigmoidShrinks([shrinking]);
        var fail = SquashingExpectations.SigmoidShrinks([growing]);

        Assert.True(pass.Passed, pass.Measured);
        Assert.False(fail.Passed);
        Assert.Contains("layer 3", fail.Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void SigmoidShrinks_LeavesOutLayersWhoseInputFloat64NoLongerResolves()
    {
        // Layer 3's input spread (1e-13 of its size) is rounding: its ratio (5) is not the network's.
        var collapsed = Cell(SquashingFamily.Sigmoid, first: 1e-3, spread: [2.0, 1e-13, 5e-13, 0.1]);

        var result = SquashingExpectations.SigmoidShrinks([collapsed]);

        Assert.True(result.Passed, result.Measured);
        Assert.Contains("1 layers left out", result.Measured, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1e-3, 1e-3, true)]
    [InlineData(1e-3, 5e-3, true)]
    [InlineData(1e-3, 2e-2, false)]
    public void SensitivityTracksGradient_NeedsTheRatiosWithinTenfold(double firstMovement, double firstGradient, bool passes)
    {
        var cell = Cell(SquashingFamily.Sigmoid, first: firstMovement, spread: [1.0, 0.5, 0.2, 0.1]);
        var m = cell.Seeds[0] with { ExampleGradientRms = [firstGradient, 1, 1, 1] };

        Assert.Equal(passes, SquashingExpectations.SensitivityTracksGradient([new SquashingCell([m])]).Passed);
    }

    // A depth-3 network's numbers: the last hidden layer moves the logits by 1, the first by `first`;
    // `spread` holds the three hidden layers' spreads and the logits', each of size 1; gradients
    // equal the movements.
    private static SquashingCell Cell(SquashingFamily family, double first, double[] spread)
    {
        double[] movement = [first, 0.5, 1.0, 2.0];
        var m = new NetworkMeasurement(family, 3, 1, movement, movement, [first, 1, 1, 1], [first, 1, 1, 1], 1.0, spread, [1.0, 1.0, 1.0, 1.0], [0.5, 0.9, 0.99], [0.5, 0.9, 0.99], []);
        return new SquashingCell([m]);
    }
}
