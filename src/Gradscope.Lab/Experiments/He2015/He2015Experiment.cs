using System.Globalization;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// He et al. (2015), "Delving deep into rectifiers", section 2.2 and Fig. 3: a 30-layer ReLU network
/// initialized with Xavier's variance 1/n_in loses half its forward signal per layer and stalls,
/// while He's variance 2/n_in keeps the signal level and trains. Fully connected layers on
/// Fashion-MNIST (quick: on the built-in digits), where the paper used a convolutional network on ImageNet.
/// </summary>
internal sealed class He2015Experiment : IExperiment
{
    /// <summary>Hidden ReLU layers.</summary>
    public const int Depth = 30;

    /// <summary>Xavier in He et al.'s sense (variance 1/n_in, their eq. 10 with n_l Var[w_l] = 1) is LeCun normal.</summary>
    public const string XavierInit = "lecun-normal";

    /// <summary>He normal: variance 2/n_in.</summary>
    public const string HeInit = "he-normal";

    /// <inheritdoc/>
    public string Name => "he2015";

    /// <inheritdoc/>
    public string Summary => "30-layer ReLU network: Xavier init halves the forward signal per layer and stalls, He init keeps it level and trains";

    /// <inheritdoc/>
    public IReadOnlyList<string> Papers { get; } = ["He et al. (2015)"];

    /// <summary>Units per hidden layer: 256 as the issue asks, 64 in the quick version.</summary>
    public static int Width(bool quick) => quick ? 64 : 256;

    /// <summary>The data set: Fashion-MNIST, or the built-in digits in the quick version.</summary>
    public static string Data(bool quick) => quick ? "digits" : "fashion-mnist";

    /// <summary>Epochs: 30 over digits' 1438 training rows (12 steps each), 2 over Fashion-MNIST's 60,000 (469 steps each).</summary>
    public static int Epochs(bool quick) => quick ? 80 : 2;

    /// <inheritdoc/>
    public ExperimentResult Run(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        bool quick = settings.Quick;
        (string Label, string Init)[] arms = [("Xavier", XavierInit), ("He", HeInit)];
        var trials = new He2015Trial[arms.Length];
        ParallelTrials.Run([0, 1], settings, i =>
        {
            var config = He2015Trials.Config(Data(quick), settings.DataDir, Depth, Width(quick), arms[i].Init, Epochs(quick), settings.Seed);
            trials[i] = He2015Trials.Run(arms[i].Label, config, settings.Cancellation);

            // A run the cancellation stopped midway has nothing to report.
            if (settings.Cancellation.IsCancellationRequested)
                return;
            settings.Report(string.Create(CultureInfo.InvariantCulture,
                $"{trials[i].Label} ({trials[i].Init}): signal slope {trials[i].Log2SlopePerLayer:F2} log2/layer, loss {trials[i].StartLoss:F3} -> {trials[i].EpochLosses[^1]:F3}"));
        });
        return He2015Report.Create(Name, quick, trials[0], trials[1]);
    }
}
