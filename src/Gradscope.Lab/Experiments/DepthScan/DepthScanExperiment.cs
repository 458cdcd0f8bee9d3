using Gradscope.Activations;
using Gradscope.Lab.Runs;
using Gradscope.Theory;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// The vanishing gradient against depth: sigmoid and tanh with the standard initialization
/// U[-1/sqrt(n), 1/sqrt(n)] against ReLU with He's, at growing depth on the spiral. Sigmoid and tanh
/// lose a fixed number of orders of magnitude of gradient per layer (so the total grows linearly
/// with depth, at the rate mean-field theory's chi_1 predicts), ReLU + He keeps it level, and a
/// deep sigmoid network's first layer barely moves.
/// </summary>
internal sealed class DepthScanExperiment : IExperiment
{
    /// <summary>Units per hidden layer.</summary>
    public const int Width = 32;

    /// <summary>Plain SGD's step size.</summary>
    public const double LearningRate = 0.1;

    // Standard init U[-1/sqrt(n), 1/sqrt(n)] has Var[w] = 1/(3n); He normal 2/n.
    internal static readonly IReadOnlyList<DepthScanArm> Arms =
    [
        new("sigmoid", "standard", 1.0 / 3),
        new("tanh", "standard", 1.0 / 3),
        new("relu", "he-normal", 2.0),
    ];

    /// <inheritdoc/>
    public string Name => "depth-scan";

    /// <inheritdoc/>
    public string Summary => "Orders of magnitude of gradient lost vs depth: sigmoid and tanh (standard init) against ReLU + He, with mean-field theory's rate";

    /// <inheritdoc/>
    public IReadOnlyList<string> Papers { get; } = ["Glorot and Bengio (2010)", "He et al. (2015)", "Schoenholz et al. (2017)"];

    /// <summary>The depths of the quick and the full version.</summary>
    public static IReadOnlyList<int> Depths(bool quick) => quick ? [2, 10, 30] : [2, 5, 10, 20, 30, 50];

    /// <summary>Seeds per cell of the quick and the full version.</summary>
    public static int Seeds(bool quick) => quick ? 2 : 3;

    /// <summary>Epochs over the spiral's 720 training points (12 steps of 64 each).</summary>
    public static int Epochs(bool quick) => quick ? 10 : 20;

    /// <summary>mean-field theory's orders of magnitude lost per layer, -0.5 log10 chi_1 (delta_rms is the square root of the mean square chi_1 scales).</summary>
    internal static (double Chi1, double OrdersPerLayer) Theory(DepthScanArm arm)
    {
        double chi1 = new MeanField(Activation.Parse(arm.Activation), arm.WeightVariance, 0).Chi1;
        return (chi1, -0.5 * Math.Log10(chi1));
    }

    /// <inheritdoc/>
    public ExperimentResult Run(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var depths = Depths(settings.Quick);
        int epochs = Epochs(settings.Quick);
        var jobs = new List<(DepthScanArm Arm, RunSpec Config)>();
        foreach (var arm in Arms)
        {
            foreach (int depth in depths)
            {
                for (int s = 0; s < Seeds(settings.Quick); s++)
                    jobs.Add((arm, DepthScanTrials.Config(arm, depth, Width, epochs, LearningRate, settings.Seed + s)));
            }
        }

        var trials = new DepthScanTrial[jobs.Count];

        // Deepest first, so the last runs to finish are short ones.
        var order = Enumerable.Range(0, jobs.Count).OrderByDescending(i => jobs[i].Config.DenseWidths().Count).ToArray();
        int done = 0;
        ParallelTrials.Run(order, settings, i =>
        {
            trials[i] = DepthScanTrials.Run(jobs[i].Arm, jobs[i].Config, settings.Cancellation);

            // A run the cancellation stopped midway has nothing to report.
            if (settings.Cancellation.IsCancellationRequested)
                return;
            settings.Report(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"[{Interlocked.Increment(ref done)}/{jobs.Count}] {trials[i].Name}: {trials[i].OrdersLost:F2} orders lost, update gap {trials[i].UpdateGapOrders:F1}"));
        });
        return DepthScanReport.Create(Name, settings.Quick, depths, epochs, trials);
    }
}
