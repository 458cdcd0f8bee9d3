using Gradscope.Lab.Experiments;
using Xunit.Abstractions;

namespace Gradscope.Lab.Tests.Experiments;

[Collection(ExperimentCollection.Name)]
public sealed class OrthogonalIsometryRunTests(ITestOutputHelper output)
{
    [ExperimentFact]
    [Trait("Category", "Experiments")]
    public void OrthogonalIsometry_Quick_MeetsItsExpectations()
    {
        var result = TheoryQuickRun.RunAndPrint(new OrthogonalIsometryExperiment(), output);

        // Depths x {gaussian, orthogonal}.
        Assert.Equal(IsometryPlan.Quick.Depths.Count * 2, result.Cells.Rows.Count);
        Assert.True(result.Passed, TheoryQuickRun.Failures(result));
    }
}
