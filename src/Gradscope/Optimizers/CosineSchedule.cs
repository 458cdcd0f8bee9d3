namespace Gradscope.Optimizers;

/// <summary>
/// Cosine annealing (Loshchilov and Hutter 2017, PyTorch's <c>CosineAnnealingLR</c> closed form):
/// <c>min + (lr0 - min) (1 + cos(pi * epoch / epochs)) / 2</c>, from lr0 at epoch 0 down to min at
/// <c>epochs</c>. Past <c>epochs</c> it stays at min (PyTorch would climb back up).
/// </summary>
public sealed class CosineSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="GradscopeException">A setting is out of range.</exception>
    public CosineSchedule(double initialLearningRate, int epochs, double minimumLearningRate = 0)
    {
        InitialLearningRate = Hyperparameters.LearningRate(initialLearningRate);
        if (epochs < 1)
            throw new GradscopeException($"The cosine schedule needs at least 1 epoch to anneal over; got {epochs}.");
        Epochs = epochs;
        MinimumLearningRate = Hyperparameters.AtLeastZero(minimumLearningRate, "cosine schedule's minimum learning rate");
    }

    /// <summary>The learning rate at epoch 0.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Epochs over which the rate anneals (PyTorch's <c>T_max</c>).</summary>
    public int Epochs { get; }

    /// <summary>The learning rate from epoch <see cref="Epochs"/> on (PyTorch's <c>eta_min</c>).</summary>
    public double MinimumLearningRate { get; }

    /// <inheritdoc/>
    public double At(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (epoch >= Epochs)
            return MinimumLearningRate;
        double cosine = Math.Cos(Math.PI * epoch / Epochs);
        // Halve first: (lr - min) * (1 + cos) overflows to infinity for a learning rate near
        // double's maximum (a fuzzed run description), where the halved form stays finite.
        return MinimumLearningRate + ((InitialLearningRate - MinimumLearningRate) * (0.5 + (0.5 * cosine)));
    }
}
