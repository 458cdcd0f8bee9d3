using Gradscope.Activations;

namespace Gradscope.Theory;

/// <summary>
/// The trainability-versus-depth experiment of Schoenholz et al. (2017), sized for a CPU: deep
/// random networks are trained briefly on a teacher-labelled Gaussian task and their accuracy is
/// set beside 6 xi_c, the depth beyond which they predict training fails.
/// </summary>
public sealed record TrainabilityOptions
{
    /// <summary>The activation (tanh in the paper).</summary>
    public Activation Activation { get; init; } = Activation.Parse("tanh");

    /// <summary>sigma_b^2, the same for every cell.</summary>
    public double BiasVariance { get; init; } = 0.05;

    /// <summary>Depths L (hidden Dense + activation blocks) on one axis.</summary>
    public IReadOnlyList<int> Depths { get; init; } = [10, 20, 40];

    /// <summary>sigma_w^2 values on the other axis.</summary>
    public IReadOnlyList<double> WeightVariances { get; init; } = [0.8, 1.2, 1.76, 2.5, 3.5, 5.0];

    /// <summary>Width of every hidden layer.</summary>
    public int Width { get; init; } = 32;

    /// <summary>Dimension of the Gaussian inputs.</summary>
    public int InputDimension { get; init; } = 16;

    /// <summary>Number of classes the teacher assigns.</summary>
    public int Classes { get; init; } = 4;

    /// <summary>Training set size.</summary>
    public int TrainSamples { get; init; } = 1024;

    /// <summary>Held-out set size.</summary>
    public int TestSamples { get; init; } = 512;

    /// <summary>SGD steps per cell: the fixed, short budget.</summary>
    public int Steps { get; init; } = 300;

    /// <summary>Minibatch size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Plain SGD learning rate.</summary>
    public double LearningRate { get; init; } = 0.03;

    /// <summary>Seed of the data set and of every cell's network (cell seeds derive from it).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Cells trained at once.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>A grid that finishes in seconds: three depths by six sigma_w^2 at width 32, 300 steps.</summary>
    public static TrainabilityOptions Quick { get; } = new();

    /// <summary>The paper's layout at CPU scale: depths 10 to 100, sigma_w^2 from 1 to 4, width 64, 1000 steps.</summary>
    public static TrainabilityOptions Full { get; } = new()
    {
        Depths = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
        WeightVariances = [1.0, 1.25, 1.5, 1.76, 2.0, 2.5, 3.0, 3.5, 4.0],
        Width = 64,
        Steps = 1000,
    };
}

/// <summary>One trained cell of the grid.</summary>
/// <param name="Depth">L.</param>
/// <param name="WeightVariance">sigma_w^2.</param>
/// <param name="TrainAccuracy">Accuracy on the training set after the budget.</param>
/// <param name="TestAccuracy">Accuracy on the held-out set.</param>
/// <param name="FinalLoss">Mean cross-entropy of the last 20 steps (NaN when training diverged).</param>
/// <param name="Diverged">True when the loss became non-finite and training stopped.</param>
/// <param name="PredictedTrainable">True when L &lt; 6 xi_c.</param>
public sealed record TrainabilityCell(
    int Depth, double WeightVariance, double TrainAccuracy, double TestAccuracy, double FinalLoss, bool Diverged, bool PredictedTrainable);

/// <summary>The predicted boundary at one sigma_w^2.</summary>
/// <param name="WeightVariance">sigma_w^2.</param>
/// <param name="Chi1">chi_1 there.</param>
/// <param name="XiC">xi_c; null when infinite (critical).</param>
/// <param name="TrainableDepth">6 xi_c, the predicted deepest trainable network; null when infinite.</param>
/// <param name="MeasuredTrainableDepth">The deepest grid depth whose test accuracy reached the threshold, with every shallower depth too; 0 if none.</param>
public sealed record TrainabilityBoundary(double WeightVariance, double Chi1, double? XiC, double? TrainableDepth, int MeasuredTrainableDepth);

/// <summary>The grid's results.</summary>
/// <param name="Options">What was run.</param>
/// <param name="Cells">One per (depth, sigma_w^2), depth-major.</param>
/// <param name="Boundaries">One per sigma_w^2: predicted 6 xi_c beside the measured limit.</param>
/// <param name="ChanceAccuracy">1 / classes.</param>
/// <param name="TrainableThreshold">Test accuracy counted as trained: halfway from chance to 1.</param>
public sealed record TrainabilityResult(
    TrainabilityOptions Options, IReadOnlyList<TrainabilityCell> Cells, IReadOnlyList<TrainabilityBoundary> Boundaries, double ChanceAccuracy, double TrainableThreshold);
