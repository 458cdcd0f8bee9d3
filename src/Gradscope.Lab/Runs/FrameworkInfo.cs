namespace Gradscope.Lab.Runs;

/// <summary>
/// What a trace written outside Gradscope (the PyTorch hook) says about the run's training: the
/// framework and its version, the optimizer as the framework names it, its learning rate and other
/// settings, and the loss module. Gradscope's own runs keep these in their <see cref="RunSpec"/>.
/// </summary>
/// <param name="Name">The framework (<c>pytorch</c>).</param>
/// <param name="Version">Its version (<c>torch.__version__</c>), or null.</param>
public sealed record FrameworkInfo(string Name, string? Version)
{
    /// <summary>The optimizer's class name (<c>SGD</c>, <c>Adam</c>), or null when the trace does not say.</summary>
    public string? Optimizer { get; init; }

    /// <summary>The first parameter group's learning rate at the start; NaN when unknown.</summary>
    public double LearningRate { get; init; } = double.NaN;

    /// <summary>The optimizer's other numeric settings (momentum, weight_decay, beta1, beta2, eps).</summary>
    public IReadOnlyDictionary<string, double> OptimizerSettings { get; init; } = new Dictionary<string, double>();

    /// <summary>The loss module's class name (<c>CrossEntropyLoss</c>), or null.</summary>
    public string? LossFunction { get; init; }

    /// <summary>True for a run trained in PyTorch, whose remedies come with PyTorch code.</summary>
    public bool IsPyTorch => string.Equals(Name, "pytorch", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A layer's weights when recording began, as the PyTorch hook measures them: mean and standard
/// deviation of the weight and bias, fan-in and fan-out, and the gain <c>weight_std * sqrt(fan_in)</c>
/// (sqrt(2) ~ 1.41 for He, 1 for LeCun, 1/sqrt(3) ~ 0.58 for PyTorch's default <c>Linear</c> init).
/// NaN where the trace has null (no bias) or lacks the number.
/// </summary>
public sealed record LayerInit(double WeightMean, double WeightStd, double FanIn, double FanOut, double Gain, double BiasMean, double BiasStd)
{
    /// <summary>The member names the trace header uses, in the order of the constructor.</summary>
    public static IReadOnlyList<string> Names { get; } = ["weight_mean", "weight_std", "fan_in", "fan_out", "gain", "bias_mean", "bias_std"];

    /// <summary>The values in the order of <see cref="Names"/>.</summary>
    public double[] Values() => [WeightMean, WeightStd, FanIn, FanOut, Gain, BiasMean, BiasStd];

    /// <summary>Creates one from values in the order of <see cref="Names"/>.</summary>
    public static LayerInit From(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
    }
}
