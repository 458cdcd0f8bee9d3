using System.Numerics;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Training;

namespace Gradscope.Lab.Runs;

/// <summary>A run trained under the gradient monitor and diagnosed.</summary>
/// <param name="Spec">The run's description.</param>
/// <param name="Training">How training went.</param>
/// <param name="Trace">What the monitor recorded.</param>
/// <param name="Report">The diagnosis of the trace.</param>
public sealed record MonitoredRunResult(RunSpec Spec, TrainingResult Training, Trace Trace, DiagnosisReport Report);

/// <summary>Trains a <see cref="RunSpec"/> with a <see cref="GradientMonitor{T}"/> attached, then diagnoses the trace.</summary>
public static class MonitoredRun
{
    /// <summary>Runs <paramref name="spec"/> in its number type; <paramref name="cancellation"/> stops it at a step boundary.</summary>
    public static MonitoredRunResult Run(RunSpec spec, MonitorOptions monitor, Dataset? data = null, DiagnosisThresholds? thresholds = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.DType == NumberType.Float64
            ? Run<double>(PreparedRun<double>.Create(spec, data), monitor, cancellation, thresholds)
            : Run<float>(PreparedRun<float>.Create(spec, data), monitor, cancellation, thresholds);
    }

    /// <summary>
    /// Trains <paramref name="run"/> under a monitor and diagnoses it. Extra observers run after the
    /// monitor. <paramref name="initializerLabel"/> names the initialization in findings when it is
    /// not the description's (weights loaded from a file).
    /// </summary>
    public static MonitoredRunResult Run<T>(PreparedRun<T> run, MonitorOptions monitor, DiagnosisThresholds? thresholds = null, string? initializerLabel = null, params ITrainingObserver<T>[] observers)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(run, monitor, CancellationToken.None, thresholds, initializerLabel, observers);

    /// <summary>
    /// As <see cref="Run{T}(PreparedRun{T}, MonitorOptions, DiagnosisThresholds?, string?, ITrainingObserver{T}[])"/>,
    /// stopping at the first step boundary after <paramref name="cancellation"/> is signalled
    /// (<see cref="TrainingStatus.Interrupted"/>); the trace and findings then cover the steps taken.
    /// </summary>
    public static MonitoredRunResult Run<T>(PreparedRun<T> run, MonitorOptions monitor, CancellationToken cancellation, DiagnosisThresholds? thresholds = null, string? initializerLabel = null, params ITrainingObserver<T>[] observers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(run);
        var gradientMonitor = new GradientMonitor<T>(run.Network, monitor, ExpectedSteps(run));
        run.Trainer.AddObserver(gradientMonitor);
        foreach (var observer in observers)
            run.Trainer.AddObserver(observer);
        var result = run.Trainer.Train(run.Train, run.Test, cancellation);

        // The theory's prediction is the description's; loaded weights leave the facts' initializer unknown.
        var context = Context(gradientMonitor.Trace, run.Config, thresholds) with { Network = NetworkFacts.For(run.Spec, initializerLabel is null ? run.Config.Init : null) };
        if (initializerLabel is not null)
            context = context with { Initializer = initializerLabel };
        var report = Diagnosis.Run(context);
        return new MonitoredRunResult(run.Config, result, gradientMonitor.Trace, report);
    }

    /// <summary>
    /// The diagnosis context of a trace of <paramref name="spec"/>'s network: its layers sized by the
    /// trace (first layer's inputs, last layer's outputs), its initializer, its mean-field prediction.
    /// </summary>
    public static DiagnosisContext Context(Trace trace, RunSpec spec, DiagnosisThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(spec);
        var network = spec.NetworkFor(trace.LayerInputs[0], trace.LayerWidths[^1]);
        return DiagnosisContext.For(trace, network, spec.Init, thresholds);
    }

    /// <summary>Steps the budget will take, to size the trace once.</summary>
    public static int ExpectedSteps<T>(PreparedRun<T> run)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(run);
        return ExpectedSteps(run.Train.Count, run.Config.Budget.BatchSize, run.Config.Budget);
    }

    /// <summary>Steps a budget takes over <paramref name="rows"/> training rows in batches of <paramref name="batch"/>, clamped to [1, 1e6].</summary>
    internal static int ExpectedSteps(int rows, int batch, BudgetSpec budget)
    {
        long total = (long)((rows + batch - 1) / batch) * budget.Epochs;
        if (budget.MaxSteps is { } max)
            total = Math.Min(total, max);
        return (int)Math.Clamp(total, 1, 1_000_000);
    }
}
