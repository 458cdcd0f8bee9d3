using System.Diagnostics;
using Gradscope.Lab.Experiments;
using Xunit.Abstractions;

namespace Gradscope.Lab.Tests.Experiments.Squashing;

[Collection(ExperimentCollection.Name)]
public sealed class SquashingExperimentTests(ITestOutputHelper output)
{
    [ExperimentFact]
    [Trait("Category", "Experiments")]
    public void Quick_PassesEveryExpectation()
    {
        var watch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;

        var result = new SquashingExperiment().Run(new ExperimentSettings { Quick = true });

        output.WriteLine($"wall {watch.Elapsed.TotalSeconds:F1} s, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s");
        var failed = result.Expectations.Where(e => !e.Passed).Select(e => $"{e.Name}: {e.Measured}");
        Assert.True(result.Passed, string.Join("\n", failed));
        Assert.Equal(6, result.Cells.Rows.Count);
        Assert.Equal(12, result.Tables.Count);
        Assert.Equal(4, result.Expectations.Count);
        Assert.Equal(8, result.Images.Count);
        Assert.All(result.Images, image => Assert.Equal(image.Width * image.Height, image.Values.Count));
        Assert.Equal(5, result.Charts.Count);
        Assert.Empty(result.Runs);
    }

    [Fact]
    public void Catalogue_FindsIt()
    {
        Assert.IsType<SquashingExperiment>(ExperimentCatalogue.Find("squashing"));
    }
}
