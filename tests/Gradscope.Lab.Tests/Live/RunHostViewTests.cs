using Gradscope.Lab.Live;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Tests.Store;

namespace Gradscope.Lab.Tests.Live;

public sealed class RunHostViewTests
{
    [Fact]
    public void Boundary_OfATrainedSpiralModel_SumsToOne_AndPredictsTheTrainingLabelsMostlyRight()
    {
        string path = StoreTestRuns.TempStore();
        string id;
        DecisionBoundary live;
        using (var host = new RunHost(path))
        {
            id = host.Start(HostedSpecs.Spiral(epochs: 80, "relu", "he-normal", [32, 32]), new HostedRunOptions());
            Assert.Equal("completed", HostedSpecs.WaitForEnd(host, id, 60));
            live = host.Boundary(id, 40)!;
        }

        Assert.Equal(40 * 40, live.Probabilities.Count);
        Assert.Equal(3, live.Classes);
        foreach (var p in live.Probabilities)
        {
            Assert.Equal(3, p.Length);
            Assert.Equal(1.0, p.Sum(), 9);
        }

        Assert.InRange(live.Points.Count, 100, PlaneSample.MaxPoints);
        Assert.Equal(live.Points.Count, live.Labels.Count);
        Assert.True(Accuracy(live) > 0.8, $"the boundary predicts {Accuracy(live):P0} of the training points");
        foreach (var point in live.Points)
        {
            Assert.InRange(point[0], live.XMin, live.XMax);
            Assert.InRange(point[1], live.YMin, live.YMax);
        }

        // A host that did not train it reads the model the store keeps: the same boundary.
        using var other = new RunHost(path);
        var stored = other.Boundary(id, 40)!;
        Assert.Equal(live.Step, stored.Step);
        Assert.Equal(live.Probabilities[123], stored.Probabilities[123]);
    }

    [Fact]
    public void Views_OfARunningRun_ComeFromItsLiveModel()
    {
        using var host = new RunHost(StoreTestRuns.TempStore());
        string id = host.Start(HostedSpecs.Spiral(epochs: 10_000), new HostedRunOptions());
        HostedSpecs.WaitUntil(() => host.State(id)!.Step > 3, "the run trains");

        var boundary = host.Boundary(id, 10)!;
        Assert.True(boundary.Step > 0);
        Assert.Equal(100, boundary.Probabilities.Count);
        var squashing = host.Squashing(id, 10)!;
        Assert.Equal(2, squashing.Layers.Count);
        Assert.Equal("running", host.State(id)!.Status);
        host.Control(id, RunControl.Stop);
    }

    [Fact]
    public void Squashing_HasOneImagePerHiddenLayer_OnTheGrid_WithItsSpread()
    {
        using var host = new RunHost(StoreTestRuns.TempStore());
        string id = host.Start(HostedSpecs.Spiral(epochs: 1, "sigmoid", "standard", [16, 16, 16, 16, 16]), new HostedRunOptions(Paused: true));

        var view = host.Squashing(id, 12)!;
        Assert.Equal(0, view.Step);
        Assert.Equal(12, view.Grid);
        Assert.Equal([1, 2, 3, 4, 5], view.Layers.Select(l => l.Layer));
        Assert.All(view.Layers, l => Assert.Equal("sigmoid", l.Activation));
        Assert.All(view.Layers, l => Assert.Equal(144, l.Points.Count));
        Assert.All(view.Layers, l => Assert.Equal(2, l.Points[0].Length));

        // Sigmoid with the standard init squashes the plane into a smaller region at every layer.
        for (int k = 1; k < view.Layers.Count; k++)
            Assert.True(view.Layers[k].Spread < view.Layers[k - 1].Spread, $"layer {k + 1}'s spread {view.Layers[k].Spread} is not below layer {k}'s {view.Layers[k - 1].Spread}");
        Assert.True(view.Layers[^1].Spread < 1e-2);
        host.Control(id, RunControl.Stop);
    }

    [Fact]
    public void Sensitivity_OfADeepSigmoidNet_IsMuchSmallerForEarlyLayers()
    {
        using var host = new RunHost(StoreTestRuns.TempStore());
        var hidden = Enumerable.Repeat(32, 10).ToArray();
        string id = host.Start(HostedSpecs.Spiral(epochs: 1, "sigmoid", "standard", hidden), new HostedRunOptions(Paused: true));

        var sensitivity = host.Sensitivity(id, 1, 0.5)!;
        Assert.Equal(11, sensitivity.ByLayer.Count);
        Assert.Equal(sensitivity.ByLayer[0], sensitivity.OutputChange);
        Assert.All(sensitivity.ByLayer, v => Assert.True(v > 0 && double.IsFinite(v)));
        Assert.True(sensitivity.ByLayer[0] < 1e-2 * sensitivity.ByLayer[9], $"first {sensitivity.ByLayer[0]} vs last hidden {sensitivity.ByLayer[9]}");
        Assert.Throws<GradscopeException>(() => host.Sensitivity(id, 12, 0.5));
        Assert.Throws<GradscopeException>(() => host.Sensitivity(id, 1, 0));
        host.Control(id, RunControl.Stop);
    }

    [Fact]
    public void Views_OfDataThatIsNotPlanar_OrUnknownRuns_AreNull()
    {
        string path = StoreTestRuns.TempStore();
        using var host = new RunHost(path);
        var digits = HostedSpecs.Spiral(epochs: 1) with { Data = new DataSpec { Source = "digits", Samples = 200 } };
        string id = host.Start(digits, new HostedRunOptions(Paused: true));

        Assert.Null(host.Boundary(id, 10));
        Assert.Null(host.Squashing(id, 10));
        Assert.Null(host.Sensitivity(id, 1, 0.1));
        Assert.Null(host.Boundary("01JXXXXXXXXXXXXXXXXXXXXXXX", 10));
        Assert.Throws<GradscopeException>(() => host.Boundary(id, 1));
        Assert.False(PlanarData.Supports(digits));
        Assert.True(PlanarData.Supports(HostedSpecs.Spiral(epochs: 1)));
        host.Control(id, RunControl.Stop);
    }

    // Each sample point takes the class of the most probable class of its nearest grid point.
    private static double Accuracy(DecisionBoundary boundary)
    {
        int right = 0;
        for (int i = 0; i < boundary.Points.Count; i++)
        {
            int c = (int)Math.Round((boundary.Points[i][0] - boundary.XMin) / (boundary.XMax - boundary.XMin) * (boundary.Grid - 1));
            int r = (int)Math.Round((boundary.Points[i][1] - boundary.YMin) / (boundary.YMax - boundary.YMin) * (boundary.Grid - 1));
            var p = boundary.Probabilities[(r * boundary.Grid) + c];
            right += Array.IndexOf(p, p.Max()) == boundary.Labels[i] ? 1 : 0;
        }

        return (double)right / boundary.Points.Count;
    }
}
