using Gradscope.Lab.Experiments;
using Xunit.Abstractions;

namespace Gradscope.Lab.Tests.Experiments;

[Collection(ExperimentCollection.Name)]
public sealed class SignalPropagationRunTests(ITestOutputHelper output)
{
    [ExperimentFact]
    [Trait("Category", "Experiments")]
    public void SignalPropagation_Quick_MeetsItsExpectations()
    {
        var result = TheoryQuickRun.RunAndPrint(new SignalPropagationExperiment(), output);

        // One row per sigma_w^2; the accuracy grid has one row per depth.
        Assert.Equal(PropagationPlan.Quick.Options.WeightVariances.Count, result.Cells.Rows.Count);
        Assert.Equal(PropagationPlan.Quick.Options.Depths.Count, result.Tables[0].Rows.Count);
        Assert.True(result.Passed, TheoryQuickRun.Failures(result));
    }
}
