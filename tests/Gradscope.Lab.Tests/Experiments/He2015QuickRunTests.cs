using Gradscope.Lab.Experiments;
using Xunit.Abstractions;

namespace Gradscope.Lab.Tests.Experiments;

[Collection(ExperimentCollection.Name)]
public sealed class He2015QuickRunTests(ITestOutputHelper output)
{
    [ExperimentFact]
    [Trait("Category", "Experiments")]
    public void He2015_QuickRunMeetsItsExpectations()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("GRADSCOPE_EXPERIMENT_SEED"), out int s) ? s : 1;
        var (result, wall, cpu) = ExperimentResultDump.Timed(() => new He2015Experiment().Run(new ExperimentSettings { Quick = true, Seed = seed }));
        output.WriteLine(ExperimentResultDump.Format(result));
        output.WriteLine($"wall {wall:F1} s, CPU {cpu:F1} s, seed {seed}");

        Assert.True(result.Passed, ExperimentResultDump.Failures(result));
        Assert.Equal(4, result.Expectations.Count);
        Assert.Equal(2, result.Cells.Rows.Count);

        // One row per hidden layer of the 30-layer network.
        Assert.Equal(30, Assert.Single(result.Tables).Rows.Count);
        Assert.Equal(2, result.Runs.Count);
    }
}
