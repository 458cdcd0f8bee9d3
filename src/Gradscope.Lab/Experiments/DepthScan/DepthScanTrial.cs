using Gradscope.Activations;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Lab.Fixes;
using Gradscope.Lab.Runs;
using Gradscope.Optimizers;

namespace Gradscope.Lab.Experiments;

/// <summary>One activation of the depth scan with the initialization it is usually paired with.</summary>
/// <param name="Activation">The hidden activation (<c>sigmoid</c>, <c>tanh</c>, <c>relu</c>).</param>
/// <param name="Init">Its initializer spec.</param>
/// <param name="WeightVariance">sigma_w^2 = fan_in * Var[w] of that initializer, for the mean-field prediction.</param>
internal sealed record DepthScanArm(string Activation, string Init, double WeightVariance)
{
    /// <summary>"sigmoid + standard".</summary>
    public string Label => $"{Activation} + {Init}";
}

/// <summary>What one trained (activation, depth, seed) run measured.</summary>
/// <param name="Arm">Activation and initialization.</param>
/// <param name="Depth">Hidden dense layers.</param>
/// <param name="Seed">Seed of data, weights and batch order.</param>
/// <param name="OrdersLost">log10 of the last hidden layer's delta_rms over the first's, medians over the early window (positive: the gradient shrinks toward the input).</param>
/// <param name="UpdateRatios">Per hidden layer, input to output: median over the early window of the step's update ratio norm(dW) / norm(W).</param>
/// <param name="Loss">Mean training loss of the last epoch (NaN when the run diverged).</param>
/// <param name="Accuracy">Training accuracy of the last epoch (NaN when the run diverged).</param>
/// <param name="Run">The monitored run.</param>
internal sealed record DepthScanTrial(
    DepthScanArm Arm, int Depth, int Seed, double OrdersLost, IReadOnlyList<double> UpdateRatios, double Loss, double Accuracy, MonitoredRunResult Run)
{
    /// <summary>log10 of the first hidden layer's update ratio over the last's (-2: the first layer moves 100x slower).</summary>
    public double UpdateGapOrders => Math.Log10(UpdateRatios[0] / UpdateRatios[^1]);

    /// <summary>The run's name in the store.</summary>
    public string Name => $"{Arm.Activation} depth {Depth} seed {Seed}";
}

/// <summary>Builds and measures the runs of the depth scan.</summary>
internal static class DepthScanTrials
{
    /// <summary>The configuration of one run: spiral, <paramref name="depth"/> x <paramref name="width"/>, plain SGD, float64.</summary>
    public static RunSpec Config(DepthScanArm arm, int depth, int width, int epochs, double learningRate, int seed)
    {
        var hidden = new int[depth];
        Array.Fill(hidden, width);
        return RunSpecs.Dense("spiral", hidden, Activation.Parse(arm.Activation), Initializer.Parse(arm.Init)) with
        {
            // No momentum: a step is then -lr * grad, so its size follows from the gradient alone.
            Optimizer = new OptimizerSpec(OptimizerKind.Sgd, learningRate) { Momentum = 0 },
            Budget = new BudgetSpec { Epochs = epochs },
            Seed = seed,

            // Deep sigmoid gradients fall below float32's smallest normal number (1e-38).
            DType = NumberType.Float64,
        };
    }

    /// <summary>Trains <paramref name="config"/> under the monitor (every statistic at every step) and measures it.</summary>
    public static DepthScanTrial Run(DepthScanArm arm, RunSpec config, CancellationToken cancellation)
    {
        var run = MonitoredRun.Run(config, new MonitorOptions(), cancellation: cancellation);
        return Measure(arm, run);
    }

    /// <summary>The trial's numbers from a finished run (hidden layers are the trace's layers but the last, the output layer).</summary>
    public static DepthScanTrial Measure(DepthScanArm arm, MonitoredRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var context = MonitoredRun.Context(run.Trace, run.Spec);
        int depth = run.Trace.LayerCount - 1;
        var delta = context.Early(LayerStat.DeltaRms).AsSpan(0, depth);
        double orders = GradientProfile.Fit(delta).OrdersLastToFirst;
        var ratios = EarlyUpdateRatios(run.Trace, context.EarlyEnd, depth);
        var outcome = FixTrials.Outcome(arm.Label, null, run);
        return new DepthScanTrial(arm, depth, run.Spec.Seed, orders, ratios, outcome.Loss, outcome.Accuracy, run);
    }

    /// <summary>
    /// Per layer, the median over steps [0, <paramref name="steps"/>) of lr * norm(grad W) / norm(W):
    /// the update ratio of a plain SGD step. It is computed from the gradient rather than read as
    /// norm(W_after - W_before) because a deep sigmoid network's first-layer step is far below
    /// float64's resolution of its weights (W + dW rounds back to W), which would read as 0.
    /// </summary>
    public static double[] EarlyUpdateRatios(Trace trace, int steps, int layers)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var result = new double[layers];
        var window = new List<double>(steps);
        for (int layer = 0; layer < layers; layer++)
        {
            window.Clear();
            for (int s = 0; s < Math.Min(steps, trace.StepCount); s++)
            {
                double ratio = trace.LearningRate(s) * trace[LayerStat.GradNorm, s, layer] / trace[LayerStat.WeightNorm, s, layer];
                if (double.IsFinite(ratio))
                    window.Add(ratio);
            }

            window.Sort();
            result[layer] = window.Count == 0 ? double.NaN
                : window.Count % 2 == 1 ? window[window.Count / 2]
                : 0.5 * (window[(window.Count / 2) - 1] + window[window.Count / 2]);
        }

        return result;
    }
}
