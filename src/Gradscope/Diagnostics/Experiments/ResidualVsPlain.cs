using System.Diagnostics;
using Gradscope.Training;

namespace Gradscope.Diagnostics.Experiments;

/// <summary>Settings of <see cref="ResidualVsPlain.Run"/>. Null lists take the preset of the mode.</summary>
public sealed record ResidualVsPlainOptions
{
    /// <summary>Quick mode (depths 10, 30, 50; sized for CI) or the full one (depths 10, 20, 50, 100).</summary>
    public bool Quick { get; init; } = true;

    /// <summary>Seed of data, weights and batch order.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Hidden depths (dense layers); null for the mode's preset.</summary>
    public IReadOnlyList<int>? Depths { get; init; }

    /// <summary>Variants to compare (see <see cref="ResidualVsPlain.AllVariants"/>); null for all four.</summary>
    public IReadOnlyList<string>? Variants { get; init; }

    /// <summary>Units per hidden layer; default 32.</summary>
    public int Width { get; init; } = 32;

    /// <summary>Hidden activation; default sigmoid, whose derivative of at most 1/4 makes the plain network's gradient vanish.</summary>
    public string Activation { get; init; } = "sigmoid";

    /// <summary>Passes over the spiral's training split; default 60 (720 steps of 64 rows).</summary>
    public int Epochs { get; init; } = 60;

    /// <summary>Adam's step size; default 0.001 (measured: 0.01 stalls the 100-layer residual network, 0.003 makes batch norm unstable).</summary>
    public double LearningRate { get; init; } = 0.001;

    /// <summary>Runs in parallel; null for one per processor.</summary>
    public int? Parallelism { get; init; }
}

/// <summary>One (depth, variant) run of the experiment.</summary>
/// <param name="Depth">Hidden dense layers.</param>
/// <param name="Variant"><c>plain</c>, <c>residual</c>, <c>batch-norm</c> or <c>residual+batch-norm</c>.</param>
/// <param name="FirstToLastRatio">delta_rms of the first dense layer over the last one, median over the early steps (1 = no loss; 1e-10 = ten orders lost).</param>
/// <param name="OrdersLost">log10 of last-layer over first-layer delta_rms at the start (positive: vanishing toward the input).</param>
/// <param name="Loss">Mean training loss of the last epoch (chance: ln 3, about 1.0986).</param>
/// <param name="Accuracy">Training accuracy of the last epoch (chance: about 1/3).</param>
/// <param name="Findings">What the diagnosis reported for the run.</param>
/// <param name="Seconds">Wall time of the run.</param>
/// <param name="Config">The exact configuration, to reproduce the row with <c>gradscope train</c>.</param>
public sealed record ResidualVsPlainRow(
    int Depth,
    string Variant,
    double FirstToLastRatio,
    double OrdersLost,
    double Loss,
    double Accuracy,
    IReadOnlyList<Finding> Findings,
    double Seconds,
    RunConfig Config)
{
    /// <summary>The monitored run behind the row (trace, training result, report), for recording it.</summary>
    public MonitoredRunResult? Run { get; init; }
}

/// <summary>
/// Why residual networks exist (He et al. 2016): deep sigmoid networks on the built-in 3-class
/// spiral at growing depth, plain against residual (pre-activation blocks of two dense layers),
/// batch-normalized (Ioffe and Szegedy 2015) and both, trained alike (Adam, float64 so that the
/// plain network's tiny gradients do not underflow). Expected: the plain network loses orders of
/// magnitude of gradient toward the input and its loss stalls at ln 3 (chance), while the residual
/// and normalized networks train.
/// </summary>
public static partial class ResidualVsPlain
{
    /// <summary>The experiment's name on the command line.</summary>
    public const string Name = "residual-vs-plain";

    /// <summary>All variants, in table order.</summary>
    public static IReadOnlyList<string> AllVariants { get; } = ["plain", "residual", "batch-norm", "residual+batch-norm"];

    /// <summary>The depths of the quick and the full mode.</summary>
    public static IReadOnlyList<int> Depths(bool quick) => quick ? [10, 30, 50] : [10, 20, 50, 100];

    /// <summary>Runs every (depth, variant) pair, in parallel, and returns the rows ordered by depth then variant.</summary>
    /// <param name="options">Settings; null for the quick mode.</param>
    /// <param name="progress">Receives each row as its run finishes (from worker threads), when not null.</param>
    /// <exception cref="GradscopeException">A variant name is unknown or a setting is out of range.</exception>
    public static IReadOnlyList<ResidualVsPlainRow> Run(ResidualVsPlainOptions? options = null, IProgress<ResidualVsPlainRow>? progress = null)
    {
        var o = options ?? new ResidualVsPlainOptions();
        var depths = o.Depths ?? Depths(o.Quick);
        var variants = o.Variants ?? AllVariants;
        var jobs = new List<(RunConfig Config, string Variant)>();
        foreach (int depth in depths)
        {
            foreach (string variant in variants)
                jobs.Add((CreateConfig(o, depth, variant), variant));
        }

        var rows = new ResidualVsPlainRow[jobs.Count];

        // Deepest runs first, so the last ones to finish are short.
        var order = Enumerable.Range(0, jobs.Count).OrderByDescending(i => jobs[i].Config.Hidden.Count).ToArray();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = o.Parallelism ?? Environment.ProcessorCount };
        Parallel.ForEach(order, parallel, i =>
        {
            rows[i] = RunOne(jobs[i].Config, jobs[i].Variant);
            progress?.Report(rows[i]);
        });
        return rows;
    }

    /// <summary>The configuration of one (depth, variant) run.</summary>
    /// <exception cref="GradscopeException">The variant is unknown or the depth or width is not positive.</exception>
    public static RunConfig CreateConfig(ResidualVsPlainOptions options, int depth, string variant)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (depth < 1 || options.Width < 1)
            throw new GradscopeException($"Depth and width must be positive; got depth {depth}, width {options.Width}.");
        var (residual, norm) = variant switch
        {
            "plain" => (false, "none"),
            "residual" => (true, "none"),
            "batch-norm" => (false, "batch"),
            "residual+batch-norm" => (true, "batch"),
            _ => throw new GradscopeException($"Unknown variant '{variant}'. Valid variants: {string.Join(", ", AllVariants)}."),
        };
        var hidden = new int[depth];
        Array.Fill(hidden, options.Width);
        return new RunConfig
        {
            Data = "spiral",
            Hidden = hidden,
            Activation = options.Activation,
            Residual = residual,
            Norm = norm,
            Optimizer = "adam",
            LearningRate = options.LearningRate,
            Epochs = options.Epochs,
            Seed = options.Seed,
            UseDouble = true,
        };
    }

    /// <summary>Trains one configuration under the cheap monitor and measures it.</summary>
    public static ResidualVsPlainRow RunOne(RunConfig config, string variant)
    {
        ArgumentNullException.ThrowIfNull(config);
        var clock = Stopwatch.StartNew();
        var run = MonitoredRun.Run(config, MonitorOptions.For(MonitorPreset.Cheap));
        var outcome = FixTrials.Outcome(variant, null, run);
        return new ResidualVsPlainRow(config.Hidden.Count, variant, outcome.FirstToLastRatio, outcome.OrdersLost,
            outcome.Loss, outcome.Accuracy, outcome.FindingsLeft, clock.Elapsed.TotalSeconds, config)
        { Run = run };
    }
}
