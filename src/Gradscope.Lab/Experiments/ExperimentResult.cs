using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Experiments;

/// <summary>What an experiment measured, and whether its expectations hold.</summary>
public sealed record ExperimentResult
{
    /// <summary>The experiment's name.</summary>
    public required string Experiment { get; init; }

    /// <summary>What was run, in one line: data, sizes, budget, optimizer (the header above the table).</summary>
    public required string Setup { get; init; }

    /// <summary>The per-cell table: one row per configuration (mean over seeds where there are several).</summary>
    public required ResultTable Cells { get; init; }

    /// <summary>Further tables, such as the paper's numbers beside ours.</summary>
    public IReadOnlyList<ResultTable> Tables { get; init; } = [];

    /// <summary>Each expectation, checked.</summary>
    public required IReadOnlyList<ExpectationResult> Expectations { get; init; }

    /// <summary>Lines printed under the tables: definitions of the columns, where we differ from the paper and why.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Pictures for the HTML report (curves per layer or depth).</summary>
    public IReadOnlyList<ExperimentChart> Charts { get; init; } = [];

    /// <summary>Images for the HTML report (a grid's image layer by layer).</summary>
    public IReadOnlyList<ExperimentImage> Images { get; init; } = [];

    /// <summary>The trained runs, to record in the store (tagged <c>experiment:NAME</c>); empty when it trains nothing.</summary>
    public IReadOnlyList<ExperimentRun> Runs { get; init; } = [];

    /// <summary>True when every expectation holds.</summary>
    public bool Passed
    {
        get
        {
            foreach (var e in Expectations)
            {
                if (!e.Passed)
                    return false;
            }

            return true;
        }
    }
}

/// <summary>One expectation of an experiment, checked against the measurement.</summary>
/// <param name="Name">The claim, as a sentence ("LSTM solves T = 500: under 1% wrong").</param>
/// <param name="Passed">Whether the measurement meets it.</param>
/// <param name="Measured">What was measured, with numbers ("0.4% wrong of 2560 at T = 500").</param>
/// <param name="Paper">The paper's number for the same claim, where it gives one ("1 wrong of 2560 (Table 7)"); null otherwise.</param>
public sealed record ExpectationResult(string Name, bool Passed, string Measured, string? Paper = null);

/// <summary>A trained run of an experiment, named for the store ("lstm T=100 seed 1").</summary>
/// <param name="Name">The run's name in the store.</param>
/// <param name="Run">The monitored run: configuration, training result, trace and diagnosis.</param>
public sealed record ExperimentRun(string Name, MonitoredRunResult Run);
