using Gradscope.Activations;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Lab.Runs;
using Gradscope.Optimizers;

namespace Gradscope.Lab.Experiments;

/// <summary>What one initialization of the He et al. (2015) comparison measured.</summary>
/// <param name="Label"><c>Xavier</c> or <c>He</c>.</param>
/// <param name="Init">The initializer spec used.</param>
/// <param name="MeanSquareRatios">Per hidden layer 1..L at initialization, E[x_l^2] / E[x_0^2] (see <see cref="ForwardSignal"/>).</param>
/// <param name="StartLoss">Median training loss of the first <see cref="He2015Trials.StartSteps"/> steps.</param>
/// <param name="EpochLosses">Mean training loss of each epoch.</param>
/// <param name="TrainAccuracy">Training accuracy of the last epoch.</param>
/// <param name="TestAccuracy">Held-out accuracy after the last epoch (NaN without held-out data).</param>
/// <param name="Run">The monitored run.</param>
internal sealed record He2015Trial(
    string Label, string Init, IReadOnlyList<double> MeanSquareRatios, double StartLoss, IReadOnlyList<double> EpochLosses,
    double TrainAccuracy, double TestAccuracy, MonitoredRunResult Run)
{
    /// <summary>The least-squares slope of log2 of the ratio against the layer index: -1 when the signal halves per layer.</summary>
    public double Log2SlopePerLayer
    {
        get
        {
            var x = new double[MeanSquareRatios.Count];
            var y = new double[x.Length];
            for (int l = 0; l < x.Length; l++)
                (x[l], y[l]) = (l + 1, Math.Log2(MeanSquareRatios[l]));
            return LineFit.Through(x, y).Slope;
        }
    }

    /// <summary>The last epoch's loss relative to the start (0.95: 5% lower).</summary>
    public double FinalLossRatio => EpochLosses.Count == 0 ? double.NaN : EpochLosses[^1] / StartLoss;
}

/// <summary>Builds and measures the runs of the He et al. (2015) comparison.</summary>
internal static class He2015Trials
{
    /// <summary>Steps whose median loss is the run's starting loss.</summary>
    public const int StartSteps = 10;

    /// <summary>Rows pushed through the fresh network to measure its forward signal.</summary>
    public const int ProbeRows = 1000;

    /// <summary>The configuration: <paramref name="depth"/> ReLU layers of <paramref name="width"/>, SGD with momentum 0.9, lr 0.01, batch 128, float32.</summary>
    public static RunSpec Config(string data, string? dataDir, int depth, int width, string init, int epochs, int seed)
    {
        var hidden = new int[depth];
        Array.Fill(hidden, width);
        return RunSpecs.Dense(data, hidden, Activation.Parse("relu"), Initializer.Parse(init)) with
        {
            Data = new DataSpec { Source = data, DataDir = dataDir },
            Optimizer = new OptimizerSpec(OptimizerKind.Sgd, 0.01) { Momentum = 0.9 },
            Budget = new BudgetSpec { BatchSize = 128, Epochs = epochs },
            Seed = seed,
        };
    }

    /// <summary>Measures the fresh network's forward signal, then trains it under the cheap monitor.</summary>
    public static He2015Trial Run(string label, RunSpec config, CancellationToken cancellation)
    {
        var run = PreparedRun<float>.Create(config);
        var ratios = ForwardSignal.MeanSquareRatios(run.Network, ForwardSignal.FirstRows(run.Train, ProbeRows));
        var monitored = MonitoredRun.Run(run, MonitorOptions.For(MonitorPreset.Cheap), cancellation);
        return Measure(label, ratios.AsSpan(0, ratios.Length - 1).ToArray(), monitored);
    }

    /// <summary>The trial's numbers from the hidden layers' ratios and the finished run.</summary>
    public static He2015Trial Measure(string label, IReadOnlyList<double> hiddenRatios, MonitoredRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var start = new List<double>();
        for (int s = 0; s < Math.Min(StartSteps, run.Trace.StepCount); s++)
            start.Add(run.Trace.Loss(s));
        start.Sort();
        double startLoss = start.Count == 0 ? double.NaN : start[start.Count / 2];
        var epochs = run.Training.Epochs;
        var losses = new double[epochs.Count];
        for (int e = 0; e < losses.Length; e++)
            losses[e] = epochs[e].TrainLoss;
        var final = run.Training.Final;
        return new He2015Trial(label, run.Spec.Init.ToSpec(), hiddenRatios, startLoss, losses,
            final?.TrainAccuracy ?? double.NaN, final?.TestAccuracy ?? double.NaN, run);
    }
}
