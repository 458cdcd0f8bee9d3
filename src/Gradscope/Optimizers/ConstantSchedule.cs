namespace Gradscope.Optimizers;

/// <summary>The same learning rate at every epoch.</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public ConstantSchedule(double learningRate) => LearningRate = Hyperparameters.LearningRate(learningRate);

    /// <summary>The learning rate.</summary>
    public double LearningRate { get; }

    /// <inheritdoc/>
    public double At(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return LearningRate;
    }
}
