using Gradscope.Diagnostics;
using Gradscope.Lab.Experiments;
using Gradscope.Lab.Runs;

namespace Gradscope.Cli.Tests.Commands;

/// <summary>A quick stand-in of a catalogue experiment: a table with every kind of value, progress from several threads, optionally one small trained run and a failing expectation.</summary>
internal sealed class FakeExperiment(string name = "fake", bool fails = false, bool trains = false) : IExperiment
{
    private int _runs;

    public string Name => name;

    public string Summary => "a stand-in for tests";

    public IReadOnlyList<string> Papers { get; } = ["Somebody (1997)"];

    /// <summary>How often <see cref="Run"/> was called.</summary>
    public int Runs => _runs;

    /// <summary>The settings of the last run.</summary>
    public ExperimentSettings? Settings { get; private set; }

    public ExperimentResult Run(ExperimentSettings settings)
    {
        Interlocked.Increment(ref _runs);
        Settings = settings;
        Parallel.For(0, 4, i => settings.Report($"cell {i} done"));
        var runs = new List<ExperimentRun>();
        if (trains)
            runs.Add(new ExperimentRun("tiny xor", MonitoredRun.Run(new RunFlags { Data = "xor", Hidden = [4], Epochs = 1, Seed = settings.Seed }.ToSpec(), MonitorOptions.For(MonitorPreset.Cheap))));
        return new ExperimentResult
        {
            Experiment = Name,
            Setup = "xor, 1 x 4, seed " + settings.Seed,
            Cells = ResultTable.Create("cells", [new("depth", "depth"), new("variant", "variant"), new("ratio", "first/last"), new("loss", "loss"), new("accuracy", "accuracy"), new("horizon", "horizon")],
            [
                [ResultValue.Integer(10), ResultValue.Of("plain [a]"), ResultValue.Scientific(1.5e-7), ResultValue.Fixed(double.NaN, 4), ResultValue.Percent(0.975), ResultValue.Missing],
                [ResultValue.Integer(20), ResultValue.Of("residual"), ResultValue.Scientific(double.PositiveInfinity), ResultValue.Fixed(0.25, 4), ResultValue.Percent(0.5), ResultValue.Integer(7)],
            ]),
            Tables = [ResultTable.Create("the paper beside ours", [new("length", "T"), new("paper_wrong", "paper: wrong")], [[ResultValue.Integer(100), ResultValue.Integer(1)]])],
            Expectations = [new("it trains", true, "loss 0.25", "1 wrong of 2560 (Table 7)"), new("it stalls", !fails, "loss 1.09")],
            Notes = ["a note"],
            Charts = [new ExperimentChart("loss", "depth", "loss", true, [new ChartSeries("plain", [10, 20], [0.5, 0])])],
            Runs = runs,
        };
    }
}
