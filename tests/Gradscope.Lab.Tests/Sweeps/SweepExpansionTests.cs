using System.Globalization;
using Gradscope.Lab.Sweeps;

namespace Gradscope.Lab.Tests.Sweeps;

public sealed class SweepExpansionTests
{
    private static SweepDefinition Grid() => new()
    {
        Name = "g",
        Base = [new SweepSetting("max-steps", "10")],
        Grid = [new SweepAxis("layers", ["2x8", "4x8"]), new SweepAxis("activation", ["tanh", "relu", "sigmoid"]), new SweepAxis("lr", ["0.1"])],
        Seeds = [1, 2],
    };

    [Fact]
    public void Expand_Grid_IsTheProductTimesSeeds_FirstAxisSlowest()
    {
        var trials = SweepExpansion.Expand(Grid(), SweepTestSupport.Describe);
        Assert.Equal(2 * 3 * 2, trials.Count);
        Assert.Equal("layers=2x8 activation=tanh", trials[0].Cell);
        Assert.Equal([1, 2], [trials[0].Seed, trials[1].Seed]);
        Assert.Equal("layers=2x8 activation=relu", trials[2].Cell);
        Assert.Equal("layers=4x8 activation=sigmoid", trials[^1].Cell);
        Assert.Equal("layers=4x8 activation=sigmoid seed=2", trials[^1].RunName);
        for (int i = 0; i < trials.Count; i++)
            Assert.Equal(i, trials[i].Index);
        Assert.Equal(12, trials.Select(t => t.Key).Distinct().Count());
        Assert.Equal(4, trials[^1].Spec.Network.Layers.Count(l => l is Gradscope.Training.DenseSpec));
        Assert.Equal(0.1, trials[0].Spec.Optimizer.LearningRate);
        Assert.Equal(10, trials[0].Spec.Budget.MaxSteps);
    }

    [Fact]
    public void Expand_SameDefinitionTwice_GivesTheSameTrialsAndKeys()
    {
        var definition = Grid() with
        {
            Random = new RandomSearch(5, 3, [new RandomParameter("lr", RandomDistribution.LogUniform, 1e-3, 1, []), new RandomParameter("init", RandomDistribution.Choice, 0, 0, ["he-normal", "glorot-uniform"])]),
        };
        var first = SweepExpansion.Expand(definition, SweepTestSupport.Describe);
        var second = SweepExpansion.Expand(definition, SweepTestSupport.Describe);
        Assert.Equal(first.Select(t => (t.Cell, t.Seed, t.Key)), second.Select(t => (t.Cell, t.Seed, t.Key)));
    }

    [Fact]
    public void Points_RandomSearch_DrawsWithinTheRanges_AndTheSeedChangesThem()
    {
        RandomSearch Search(int seed) => new(200, seed,
        [
            new RandomParameter("lr", RandomDistribution.LogUniform, 1e-4, 1e-1, []),
            new RandomParameter("dropout", RandomDistribution.Uniform, 0.1, 0.3, []),
            new RandomParameter("activation", RandomDistribution.Choice, 0, 0, ["tanh", "relu"]),
        ]);
        var points = SweepExpansion.Points(new SweepDefinition { Name = "r", Random = Search(1) });
        Assert.Equal(200, points.Count);
        var lrs = points.Select(p => double.Parse(p[0].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.All(lrs, lr => Assert.InRange(lr, 1e-4, 1e-1));
        Assert.Contains(lrs, lr => lr < 1e-3); // log-uniform: a quarter of the draws below 1e-3
        Assert.All(points, p => Assert.InRange(double.Parse(p[1].Value, CultureInfo.InvariantCulture), 0.1, 0.3));
        Assert.Equal(["relu", "tanh"], points.Select(p => p[2].Value).Distinct().Order());
        var other = SweepExpansion.Points(new SweepDefinition { Name = "r", Random = Search(2) });
        Assert.NotEqual(points[0][0].Value, other[0][0].Value);
    }

    [Fact]
    public void Expand_ListedTrials_FollowTheGrid_AndRepeatsAreDropped()
    {
        var definition = new SweepDefinition
        {
            Name = "t",
            Grid = [new SweepAxis("activation", ["tanh", "relu"])],
            Trials = [[new SweepSetting("activation", "tanh")], [new SweepSetting("activation", "relu"), new SweepSetting("lr", "0.05")]],
        };
        var trials = SweepExpansion.Expand(definition, SweepTestSupport.Describe);
        Assert.Equal(3, trials.Count); // the listed tanh trial is the grid's first
        Assert.Equal("activation=relu lr=0.05", trials[2].Cell);
    }

    [Fact]
    public void Expand_NothingVaries_OneCellNamedBySeedOnly()
    {
        var trials = SweepExpansion.Expand(new SweepDefinition { Name = "one", Base = [new SweepSetting("activation", "tanh")], Seeds = [4] }, SweepTestSupport.Describe);
        Assert.Single(trials);
        Assert.Equal(string.Empty, trials[0].Cell);
        Assert.Equal("seed=4", trials[0].RunName);
        Assert.Equal(4, trials[0].Spec.Seed);
    }
}
