using System.Numerics;
using Gradscope.Layers;
using Gradscope.Training;

namespace Gradscope.Lab.Traces;

/// <summary>
/// Feeds a <see cref="TraceWriter"/> from inside training. Add it after the gradient monitor, so
/// that when its <see cref="OnStepEnd"/> runs the monitor has finished the step (weight norm and
/// update ratio are measured after the optimizer step).
/// </summary>
public sealed class TraceObserver<T>(TraceWriter writer) : ITrainingObserver<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public void OnGradients(Sequential<T> model, in StepInfo step)
    {
    }

    /// <inheritdoc/>
    public void OnStepEnd(Sequential<T> model, in StepInfo step) => writer.Record();

    /// <inheritdoc/>
    public void OnEpochEnd(EpochResult epoch) => writer.Epoch(epoch);
}
