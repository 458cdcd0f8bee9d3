using System.Numerics;
using Gradscope.Layers;

namespace Gradscope.Training;

/// <summary>
/// Watches training from inside the step. <see cref="OnGradients"/> sees the gradients of the
/// batch before the optimizer uses them; <see cref="OnStepEnd"/> sees the updated weights. The
/// gradient monitor is one of these. Observers must not allocate per step either.
/// </summary>
public interface ITrainingObserver<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>After backward, before clipping and the optimizer step.</summary>
    void OnGradients(Sequential<T> model, in StepInfo step);

    /// <summary>After the optimizer step.</summary>
    void OnStepEnd(Sequential<T> model, in StepInfo step);

    /// <summary>After each epoch's evaluation.</summary>
    void OnEpochEnd(EpochResult epoch);
}

/// <summary>Where training is: global step (from 0), epoch (from 0), the batch's mean loss, its size, the learning rate.</summary>
public readonly record struct StepInfo(int Step, int Epoch, double Loss, int BatchSize, double LearningRate);

/// <summary>One epoch's numbers; test figures are NaN when there is no test split.</summary>
public sealed record EpochResult(int Epoch, int Steps, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy, double LearningRate);
