using System.Diagnostics;
using Gradscope.Data.Sequences;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Lab.Experiments;

/// <summary>One (sequence length, cell) run: an ordinary monitored run of a recurrent model spec.</summary>
/// <param name="Length">T, the adding problem's length.</param>
/// <param name="Cell"><c>rnn</c> (tanh), <c>lstm</c> or <c>gru</c>.</param>
/// <param name="Accuracy">Fraction of held-out sequences with absolute error below the task's tolerance (0.04).</param>
/// <param name="ChanceAccuracy">The accuracy of always answering 0.5 (about 0.154).</param>
/// <param name="FinalLoss">Mean squared error on the held-out sequences after training.</param>
/// <param name="Through">The gradient through time as the diagnosis measures it; null when not measured.</param>
/// <param name="FreshWrong">Wrong predictions (absolute error of at least 0.04) of <see cref="RnnVsLstmRuns.FreshSequences"/> sequences drawn after training, as the paper counts them.</param>
/// <param name="SequencesSeen">Training sequences the run went through (steps times batch size).</param>
/// <param name="Seconds">Wall time of the run.</param>
/// <param name="Run">The monitored run, for recording it.</param>
internal sealed record RnnVsLstmRow(int Length, string Cell, double Accuracy, double ChanceAccuracy, double FinalLoss,
    ThroughTimeMeasure? Through, int FreshWrong, long SequencesSeen, double Seconds, MonitoredRunResult Run)
{
    /// <summary>Findings of the ordinary diagnosis.</summary>
    public IReadOnlyList<Finding> Findings => Run.Report.Findings;
}

/// <summary>
/// The runs of rnn-vs-lstm: the adding problem (Hochreiter and Schmidhuber 1997) at growing lengths
/// T, a plain tanh RNN against an LSTM and a GRU of the same width, trained alike (Adam, clipping by
/// global norm, float32); each what <c>gradscope train --data adding --seq-len T --model-spec</c> runs.
/// </summary>
internal static class RnnVsLstmRuns
{
    /// <summary>All cells, in table order.</summary>
    public static IReadOnlyList<string> AllCells { get; } = ["rnn", "lstm", "gru"];

    /// <summary>Sequences drawn per epoch by default, afresh each epoch (a fifth as many more, drawn once, held out for the accuracy).</summary>
    public const int DefaultSamples = 8192;

    /// <summary>Fresh sequences each trained network is scored on, as in the paper's Table 7.</summary>
    public const int FreshSequences = 2560;

    /// <summary>The lengths every cell runs at: T = 10, 20, 50 (quick) and up to 200 (full).</summary>
    public static IReadOnlyList<int> Lengths(bool quick) => quick ? [10, 20, 50] : [10, 20, 50, 100, 200];

    /// <summary>The longest T of the full run, run by the LSTM alone (the paper's Table 7 length it must solve).</summary>
    public const int PaperLength = 500;

    /// <summary>
    /// The runs of a mode, longest first within the table's order: every cell at each of
    /// <see cref="Lengths"/>, and in the full mode the LSTM alone at T = <see cref="PaperLength"/>.
    /// </summary>
    public static IReadOnlyList<(int Length, string Cell)> Plan(bool quick)
    {
        var runs = new List<(int, string)>();
        foreach (int length in Lengths(quick))
        {
            foreach (string cell in AllCells)
                runs.Add((length, cell));
        }

        if (!quick)
            runs.Add((PaperLength, "lstm"));
        return runs;
    }

    /// <summary>Runs the plan in parallel; rows in plan order.</summary>
    /// <exception cref="GradscopeException">An option is out of range or a cell name is unknown.</exception>
    /// <exception cref="OperationCanceledException">The cancellation token was signalled.</exception>
    public static IReadOnlyList<RnnVsLstmRow> Run(RnnVsLstmOptions options, Action<RnnVsLstmRow>? finished = null)
    {
        var plan = options.Runs ?? Plan(options.Quick);
        var configs = new RunSpec[plan.Count];
        for (int i = 0; i < plan.Count; i++)
            configs[i] = CreateConfig(options, plan[i].Length, plan[i].Cell);
        var rows = new RnnVsLstmRow[plan.Count];

        // Longest runs first, so the last ones to finish are short.
        var order = Enumerable.Range(0, plan.Count).OrderByDescending(i => (long)plan[i].Length * (configs[i].Budget.MaxSteps ?? 0)).ToArray();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Workers, CancellationToken = options.Cancellation };
        Parallel.ForEach(order, parallel, i =>
        {
            rows[i] = RunOne(configs[i], plan[i].Length, plan[i].Cell, options.Cancellation);
            finished?.Invoke(rows[i]);
        });
        options.Cancellation.ThrowIfCancellationRequested();
        return rows;
    }

    /// <summary>
    /// The configuration of one (T, cell) run: the adding task at length T as a data set (fresh
    /// sequences every epoch, a fixed held-out fifth as many more), a one-layer recurrent model spec, the optimizer with clipping, in float32.
    /// </summary>
    /// <exception cref="GradscopeException">The cell is unknown or a size is not positive.</exception>
    public static RunSpec CreateConfig(RnnVsLstmOptions options, int length, string cell)
    {
        if (!AllCells.Contains(cell))
            throw new GradscopeException($"Unknown cell '{cell}'. Valid cells: {string.Join(", ", AllCells)}.");
        if (length < 2 || options.HiddenSize < 1 || options.BatchSize < 1)
            throw new GradscopeException($"Length, hidden size and batch size must be positive; got T {length}, hidden {options.HiddenSize}, batch {options.BatchSize}.");
        var layer = new RecurrentSpec(cell, options.HiddenSize, SequenceOutput.ManyToOne, "tanh")
        {
            Module = "rnn",
            ForgetBias = cell == "lstm" ? options.ForgetGateBias : null,
            InputBias = cell == "lstm" ? options.InputGateBias : null,
        };
        int steps = options.Steps ?? DefaultSteps(options.Quick, length, options.BatchSize);
        int samples = options.Samples ?? DefaultSamples;
        // Every epoch trains on `samples` fresh sequences (the held-out ones are drawn besides them).
        int perEpoch = (samples + options.BatchSize - 1) / options.BatchSize;
        var optimizer = OptimizerKinds.Parse(options.Optimizer);
        return RunSpecs.ForNetwork("adding", new ModelSpecDocument(null, [layer], null) { OutputModule = "head" }) with
        {
            // The same sequences for every cell at a given T, and the same weights seed.
            Data = new DataSpec { Source = "adding", Samples = samples, SeqLen = length, Standardize = false },
            Loss = LossKind.MeanSquaredError,
            Optimizer = new OptimizerSpec(optimizer, options.LearningRate),
            ClipNorm = options.ClipNorm,
            Budget = new BudgetSpec { BatchSize = options.BatchSize, Epochs = (steps + perEpoch - 1) / perEpoch, MaxSteps = steps },
            Seed = unchecked((options.Seed * 1000003) + length),
        };
    }

    /// <summary>
    /// The preset budget: 800 steps in quick mode; in the full one 60 per unit of T, at least 3000,
    /// because the LSTM's loss sits at chance for a number of steps that grows with T before it drops
    /// (measured at T = 100: near step 2000 with seed 1, near step 3300 with seed 2); at T =
    /// <see cref="PaperLength"/> <see cref="PaperBudget"/> sequences.
    /// </summary>
    public static int DefaultSteps(bool quick, int length, int batchSize) => quick ? 800 : length >= PaperLength ? (PaperBudget + batchSize - 1) / batchSize : Math.Max(3000, 60 * length);

    /// <summary>The training sequences of the full run at T = <see cref="PaperLength"/>: at least 10^6 (the paper needed 209,000 there).</summary>
    public const int PaperBudget = 1_024_000;

    /// <summary>One run: trains the cell on the adding problem at length T under the monitor, diagnoses it and scores it on fresh sequences.</summary>
    public static RnnVsLstmRow RunOne(RunSpec config, int length, string cell, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var prepared = PreparedRun<float>.Create(config);
        var run = MonitoredRun.Run(prepared, MonitorOptions.For(MonitorPreset.Cheap), cancellation);
        var final = run.Training.Final;
        bool diverged = run.Training.Status == TrainingStatus.Diverged;
        double accuracy = diverged ? double.NaN : final?.TestAccuracy ?? double.NaN;
        double loss = diverged ? double.NaN : final?.TestLoss ?? double.NaN;
        int wrong = diverged ? FreshSequences : FreshWrong(prepared, length, config.Seed);
        return new RnnVsLstmRow(length, cell, accuracy, new AddingProblem(length).ChanceAccuracy, loss, ThroughTime.Measure(run.Trace),
            wrong, (long)run.Training.Steps * config.Budget.BatchSize, clock.Elapsed.TotalSeconds, run);
    }

    // Wrong predictions of the trained network on sequences it never saw (another seed), as the paper scores it.
    private static int FreshWrong(PreparedRun<float> prepared, int length, int seed)
    {
        var fresh = SequenceTaskData.Create("adding", length, FreshSequences, unchecked((seed * 31) + 17));
        var evaluation = prepared.Trainer.Evaluate(fresh);
        return double.IsFinite(evaluation.Accuracy) ? (int)Math.Round((1 - evaluation.Accuracy) * FreshSequences) : FreshSequences;
    }
}
