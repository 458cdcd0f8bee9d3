using Gradscope.Activations;
using Gradscope.Theory;

namespace Gradscope.Tests.Theory;

public sealed class PhaseDiagramTests
{
    // A coarse tanh grid: the critical line must agree with the root finder (1 at sigma_b^2 = 0,
    // 1.7610 at 0.05), and every cell left of it is ordered, every cell right of it chaotic, but
    // for cells within the critical tolerance of chi_1 = 1 (the grid point (1, 0) is one).
    [Fact]
    public void Tanh_CellsSitOnTheRightSideOfTheCriticalLine()
    {
        var options = new PhaseDiagramOptions
        {
            MinWeightVariance = 0.5,
            MaxWeightVariance = 4.0,
            WeightVarianceSteps = 8,
            MinBiasVariance = 0,
            MaxBiasVariance = 0.1,
            BiasVarianceSteps = 3,
        };
        var diagram = PhaseDiagram.Compute(Activation.Parse("tanh"), options);
        Assert.Equal("tanh", diagram.Activation);
        Assert.Equal(24, diagram.Cells.Count);
        Assert.Equal(SignalPhase.Critical, diagram.At(0, 1).Phase);
        Assert.Equal([0.0, 0.05, 0.1], diagram.BiasVariances);
        Assert.Equal(1.0, diagram.CriticalLine[0].WeightVariance!.Value, 3);
        Assert.True(Math.Abs(diagram.CriticalLine[1].WeightVariance!.Value - 1.7610) < 1e-3);
        for (int b = 0; b < 3; b++)
        {
            double critical = diagram.CriticalLine[b].WeightVariance!.Value;
            for (int w = 0; w < 8; w++)
            {
                var cell = diagram.At(b, w);
                Assert.Equal(diagram.BiasVariances[b], cell.BiasVariance);
                if (cell.Phase == SignalPhase.Critical)
                    Assert.True(Math.Abs(cell.Chi1 - 1) < MeanField.DefaultCriticalTolerance);
                else
                    Assert.Equal(cell.WeightVariance < critical ? SignalPhase.Ordered : SignalPhase.Chaotic, cell.Phase);
            }
        }
    }

    [Fact]
    public void Compute_RejectsEmptyGrid()
    {
        var e = Assert.Throws<GradscopeException>(() =>
            PhaseDiagram.Compute(Activation.Parse("tanh"), new PhaseDiagramOptions { WeightVarianceSteps = 0 }));
        Assert.Equal("The phase diagram needs at least one grid point per axis; got 0 x 16.", e.Message);
    }

    [Fact]
    public void Compute_RejectsNonPositiveWeightVariance()
    {
        var e = Assert.Throws<GradscopeException>(() =>
            PhaseDiagram.Compute(Activation.Parse("tanh"), new PhaseDiagramOptions { MinWeightVariance = 0 }));
        Assert.Equal("The sigma_w^2 range must satisfy 0 < min <= max < infinity; got [0, 4].", e.Message);
    }
}
