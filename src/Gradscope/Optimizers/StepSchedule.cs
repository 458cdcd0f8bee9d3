namespace Gradscope.Optimizers;

/// <summary>
/// Step decay as PyTorch's <c>StepLR</c>: <c>lr0 * gamma^floor(epoch / stepSize)</c>, so the rate is
/// multiplied by gamma every <c>stepSize</c> epochs.
/// </summary>
public sealed class StepSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="GradscopeException">A setting is out of range.</exception>
    public StepSchedule(double initialLearningRate, int stepSize, double gamma)
    {
        InitialLearningRate = Hyperparameters.LearningRate(initialLearningRate);
        if (stepSize < 1)
            throw new GradscopeException($"The step schedule's step size must be at least 1 epoch; got {stepSize}.");
        StepSize = stepSize;
        Gamma = Hyperparameters.AtLeastZero(gamma, "step schedule's gamma");
    }

    /// <summary>The learning rate of epochs 0 to <c>StepSize - 1</c>.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>Factor applied at each decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public double At(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return InitialLearningRate * Math.Pow(Gamma, epoch / StepSize);
    }
}
