using Gradscope.Theory;
using Xunit.Abstractions;

namespace Gradscope.Tests.Theory;

public sealed class TrainabilityExperimentTests(ITestOutputHelper output)
{
    // Schoenholz et al. (2017): a network trains when its depth is below about 6 xi_c. At
    // sigma_b^2 = 0.05, sigma_w^2 = 0.6 is deep in the ordered phase (chi_1 ~ 0.5, 6 xi_c ~ 9) while
    // 1.76 is critical (6 xi_c in the thousands): at depth 30 only the critical network should learn
    // the teacher's labels in a short budget; at depth 3 both should.
    [Fact]
    public void TinyGrid_CriticalNetworkTrainsWhereOrderedOneCannot()
    {
        var options = new TrainabilityOptions
        {
            Depths = [3, 30],
            WeightVariances = [0.6, 1.76],
            Width = 16,
            InputDimension = 8,
            Classes = 2,
            TrainSamples = 256,
            TestSamples = 256,
            Steps = 150,
            LearningRate = 0.05,
        };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = TrainabilityExperiment.Run(options);
        foreach (var c in result.Cells)
            output.WriteLine($"L={c.Depth} sigma_w^2={c.WeightVariance}: train {c.TrainAccuracy:F3} test {c.TestAccuracy:F3} loss {c.FinalLoss:F3} predicted trainable {c.PredictedTrainable}");
        foreach (var b in result.Boundaries)
            output.WriteLine($"sigma_w^2={b.WeightVariance}: chi_1 {b.Chi1:F3}, 6 xi_c {b.TrainableDepth:F1}, measured limit {b.MeasuredTrainableDepth}");
        output.WriteLine($"{watch.ElapsedMilliseconds} ms");

        Assert.Equal(4, result.Cells.Count);
        Assert.Equal(0.5, result.ChanceAccuracy);
        Assert.Equal(0.75, result.TrainableThreshold);
        var ordered = result.Boundaries[0];
        var critical = result.Boundaries[1];
        Assert.InRange(ordered.TrainableDepth!.Value, 3, 30);
        Assert.True(critical.TrainableDepth is null or > 1000);
        Assert.Equal(30, critical.MeasuredTrainableDepth);
        Assert.Equal(3, ordered.MeasuredTrainableDepth);
        Assert.False(result.Cells[2].PredictedTrainable);
        Assert.True(result.Cells[2].TestAccuracy < 0.65, $"ordered depth-30 accuracy {result.Cells[2].TestAccuracy}");
    }

    [Fact]
    public void Run_RejectsTooFewClasses()
    {
        var e = Assert.Throws<GradscopeException>(() => TrainabilityExperiment.Run(new TrainabilityOptions { Classes = 1 }));
        Assert.Equal("The teacher needs at least 2 classes; got 1.", e.Message);
    }
}
