using System.Diagnostics;
using Gradscope.Activations;
using Gradscope.Diagnostics;
using Gradscope.Lab.Fixes;
using Gradscope.Lab.Runs;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Lab.Experiments;

/// <summary>Settings of the residual-vs-plain runs. Null lists take the preset of the mode.</summary>
internal sealed record ResidualVsPlainOptions
{
    /// <summary>Quick mode (depths 10, 30, 50; sized for CI) or the full one (depths 10, 20, 50, 100).</summary>
    public bool Quick { get; init; } = true;

    /// <summary>Seed of data, weights and batch order.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Hidden depths (dense layers); null for the mode's preset.</summary>
    public IReadOnlyList<int>? Depths { get; init; }

    /// <summary>Variants to compare (see <see cref="ResidualVsPlainRuns.AllVariants"/>); null for all four.</summary>
    public IReadOnlyList<string>? Variants { get; init; }

    /// <summary>Units per hidden layer; default 32.</summary>
    public int Width { get; init; } = 32;

    /// <summary>Hidden activation; default sigmoid, whose derivative of at most 1/4 makes the plain network's gradient vanish.</summary>
    public string Activation { get; init; } = "sigmoid";

    /// <summary>Passes over the spiral's training split; default 60 (720 steps of 64 rows).</summary>
    public int Epochs { get; init; } = 60;

    /// <summary>Adam's step size; default 0.001 (measured: 0.01 stalls the 100-layer residual network, 0.003 makes batch norm unstable).</summary>
    public double LearningRate { get; init; } = 0.001;

    /// <summary>Runs in parallel.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Stops between runs and inside them at a step boundary.</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>One (depth, variant) run.</summary>
/// <param name="Depth">Hidden dense layers.</param>
/// <param name="Variant"><c>plain</c>, <c>residual</c>, <c>batch-norm</c> or <c>residual+batch-norm</c>.</param>
/// <param name="FirstToLastRatio">delta_rms of the first dense layer over the last one, median over the early steps.</param>
/// <param name="OrdersLost">log10 of last-layer over first-layer delta_rms at the start (positive: vanishing toward the input).</param>
/// <param name="Loss">Mean training loss of the last epoch (chance: ln 3).</param>
/// <param name="Accuracy">Training accuracy of the last epoch (chance: about 1/3).</param>
/// <param name="Findings">What the diagnosis reported.</param>
/// <param name="Seconds">Wall time of the run.</param>
/// <param name="Run">The monitored run, for recording it.</param>
internal sealed record ResidualVsPlainRow(int Depth, string Variant, double FirstToLastRatio, double OrdersLost, double Loss,
    double Accuracy, IReadOnlyList<Finding> Findings, double Seconds, MonitoredRunResult Run);

/// <summary>
/// The runs of residual-vs-plain: deep sigmoid networks on the built-in 3-class spiral at growing
/// depth, plain against residual (pre-activation blocks of two dense layers), batch-normalized and
/// both, trained alike (Adam, float64 so that the plain network's tiny gradients do not underflow).
/// </summary>
internal static class ResidualVsPlainRuns
{
    /// <summary>All variants, in table order.</summary>
    public static IReadOnlyList<string> AllVariants { get; } = ["plain", "residual", "batch-norm", "residual+batch-norm"];

    /// <summary>The depths of the quick and the full mode.</summary>
    public static IReadOnlyList<int> Depths(bool quick) => quick ? [10, 30, 50] : [10, 20, 50, 100];

    /// <summary>Runs every (depth, variant) pair, in parallel, and returns the rows ordered by depth then variant.</summary>
    /// <exception cref="GradscopeException">A variant name is unknown or a setting is out of range.</exception>
    /// <exception cref="OperationCanceledException">The cancellation token was signalled.</exception>
    public static IReadOnlyList<ResidualVsPlainRow> Run(ResidualVsPlainOptions options, Action<ResidualVsPlainRow>? finished = null)
    {
        var jobs = new List<(RunSpec Config, string Variant)>();
        foreach (int depth in options.Depths ?? Depths(options.Quick))
        {
            foreach (string variant in options.Variants ?? AllVariants)
                jobs.Add((CreateConfig(options, depth, variant), variant));
        }

        var rows = new ResidualVsPlainRow[jobs.Count];

        // Deepest runs first, so the last ones to finish are short.
        var order = Enumerable.Range(0, jobs.Count).OrderByDescending(i => jobs[i].Config.DenseWidths().Count).ToArray();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Workers, CancellationToken = options.Cancellation };
        Parallel.ForEach(order, parallel, i =>
        {
            rows[i] = RunOne(jobs[i].Config, jobs[i].Variant, options.Cancellation);
            finished?.Invoke(rows[i]);
        });
        options.Cancellation.ThrowIfCancellationRequested();
        return rows;
    }

    /// <summary>The configuration of one (depth, variant) run.</summary>
    /// <exception cref="GradscopeException">The variant is unknown or the depth or width is not positive.</exception>
    public static RunSpec CreateConfig(ResidualVsPlainOptions options, int depth, string variant)
    {
        if (depth < 1 || options.Width < 1)
            throw new GradscopeException($"Depth and width must be positive; got depth {depth}, width {options.Width}.");
        var (residual, norm) = variant switch
        {
            "plain" => (false, NormKind.None),
            "residual" => (true, NormKind.None),
            "batch-norm" => (false, NormKind.Batch),
            "residual+batch-norm" => (true, NormKind.Batch),
            _ => throw new GradscopeException($"Unknown variant '{variant}'. Valid variants: {string.Join(", ", AllVariants)}."),
        };
        var hidden = new int[depth];
        Array.Fill(hidden, options.Width);
        return RunSpecs.Dense("spiral", hidden, Activation.Parse(options.Activation), null, norm, residual, 0) with
        {
            Optimizer = new OptimizerSpec(OptimizerKind.Adam, options.LearningRate),
            Budget = new BudgetSpec { Epochs = options.Epochs },
            Seed = options.Seed,
            DType = NumberType.Float64,
        };
    }

    /// <summary>Trains one configuration under the cheap monitor and measures it.</summary>
    public static ResidualVsPlainRow RunOne(RunSpec config, string variant, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var run = MonitoredRun.Run(config, MonitorOptions.For(MonitorPreset.Cheap), cancellation: cancellation);
        var outcome = FixTrials.Outcome(variant, null, run);
        return new ResidualVsPlainRow(config.DenseWidths().Count, variant, outcome.FirstToLastRatio, outcome.OrdersLost,
            outcome.Loss, outcome.Accuracy, outcome.FindingsLeft, clock.Elapsed.TotalSeconds, run);
    }
}
