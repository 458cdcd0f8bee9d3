using Gradscope.Lab.Experiments;
using Xunit.Abstractions;

namespace Gradscope.Lab.Tests.Experiments;

[Collection(ExperimentCollection.Name)]
public sealed class DepthScanQuickRunTests(ITestOutputHelper output)
{
    [ExperimentFact]
    [Trait("Category", "Experiments")]
    public void DepthScan_QuickRunMeetsItsExpectations()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("GRADSCOPE_EXPERIMENT_SEED"), out int s) ? s : 1;
        var (result, wall, cpu) = ExperimentResultDump.Timed(() => new DepthScanExperiment().Run(new ExperimentSettings { Quick = true, Seed = seed }));
        output.WriteLine(ExperimentResultDump.Format(result));
        output.WriteLine($"wall {wall:F1} s, CPU {cpu:F1} s, seed {seed}");

        Assert.True(result.Passed, ExperimentResultDump.Failures(result));
        Assert.Equal(4, result.Expectations.Count);

        // 3 activations x 3 depths, 2 seeds each.
        Assert.Equal(9, result.Cells.Rows.Count);
        Assert.Equal(18, result.Runs.Count);
        Assert.Equal(2, result.Charts.Count);
    }
}
