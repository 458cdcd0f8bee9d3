using System.Numerics;
using Gradscope.Data;
using Gradscope.Training;

namespace Gradscope.Diagnostics;

/// <summary>A run trained under the gradient monitor and diagnosed.</summary>
public sealed record MonitoredRunResult(RunConfig Config, TrainingResult Training, Trace Trace, DiagnosisReport Report);

/// <summary>Trains a <see cref="RunConfig"/> with a <see cref="GradientMonitor{T}"/> attached, then diagnoses the trace.</summary>
public static class MonitoredRun
{
    /// <summary>Runs <paramref name="config"/> in its configured number type; <paramref name="cancellation"/> stops it at a step boundary.</summary>
    public static MonitoredRunResult Run(RunConfig config, MonitorOptions monitor, Dataset? data = null, DiagnosisThresholds? thresholds = null, CancellationToken cancellation = default) =>
        config.UseDouble
            ? Run<double>(PreparedRun<double>.Create(config, data), monitor, cancellation, thresholds)
            : Run<float>(PreparedRun<float>.Create(config, data), monitor, cancellation, thresholds);

    /// <summary>
    /// Trains <paramref name="run"/> under a monitor and diagnoses it. Extra observers run after the
    /// monitor. <paramref name="initializerLabel"/> names the initialization in findings when it is
    /// not the configuration's (weights loaded from a file).
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
        var gradientMonitor = new GradientMonitor<T>(run.Network, monitor, ExpectedSteps(run));
        run.Trainer.AddObserver(gradientMonitor);
        foreach (var observer in observers)
            run.Trainer.AddObserver(observer);
        var result = run.Trainer.Train(run.Train, run.Test, cancellation);
        var context = DiagnosisContext.For(gradientMonitor.Trace, run.Config, thresholds);
        context = context with { Network = NetworkFacts.For(run.Spec, initializerLabel is null ? run.Config.ParsedInitializer : null) };
        if (initializerLabel is not null)
            context = context with { Initializer = initializerLabel };
        var report = Diagnosis.Run(context);
        return new MonitoredRunResult(run.Config, result, gradientMonitor.Trace, report);
    }

    /// <summary>Steps the configured budget will take, to size the trace once.</summary>
    public static int ExpectedSteps<T>(PreparedRun<T> run)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int perEpoch = (run.Train.Count + run.Config.BatchSize - 1) / run.Config.BatchSize;
        long total = (long)perEpoch * run.Config.Epochs;
        if (run.Config.MaxSteps is { } max)
            total = Math.Min(total, max);
        return (int)Math.Clamp(total, 1, 1_000_000);
    }
}
