using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Training;

namespace Gradscope.Lab.Sweeps.Workers;

/// <summary>
/// Trains one trial of a sweep as <c>train</c> would (the cheap monitor, the diagnosis) on the
/// calling thread alone, so its numbers do not depend on what runs beside it. <see cref="Finished"/>
/// returns the run whole for the caller to store (<c>sweep run</c>); <see cref="Recorded"/> streams
/// it into the store while it trains (workers of the shared queue). An error in the trial does not
/// escape: the trial is then a failed run with its message. Store errors do escape.
/// </summary>
public static partial class TrialTraining
{
    /// <summary>The run kind of sweep trials in the store.</summary>
    public const string Kind = "sweep";

    /// <summary>Trains <paramref name="trial"/> of <paramref name="sweep"/> and returns its run, with the state the trial ends in.</summary>
    /// <param name="trial">The trial.</param>
    /// <param name="sweep">Its sweep.</param>
    /// <param name="storeName">The store as messages name it.</param>
    /// <param name="stop">Stops training at the next step: the run is then interrupted.</param>
    public static (RunRecord Run, TrialState State) Finished(StoredTrial trial, string sweep, string storeName, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(trial);
        string name = RunName(trial);
        IReadOnlyList<string> tags = [RunStore.SweepTag(sweep)];
        var started = DateTimeOffset.UtcNow;
        RunSpec? spec = null;
        try
        {
            spec = RunSpecJson.Read(trial.Spec, Source(storeName, sweep, trial));
            MonitoredRunResult result;
            using (ComputeThreads.SingleThreaded())
                result = MonitoredRun.Run(spec, MonitorOptions.For(MonitorPreset.Cheap), cancellation: stop);
            var run = FinishedRecord(result, name, tags) with { Spec = spec };
            return (run, result.Training.Status == TrainingStatus.Interrupted ? TrialState.Interrupted : TrialState.Done);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return (FailedRecord(Ulid.New(), spec, name, tags, started, ex.Message), TrialState.Failed);
        }
    }

    /// <summary>The run's name: its cell and seed.</summary>
    public static string RunName(StoredTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return trial.Cell.Length == 0 ? $"seed={trial.Seed}" : $"{trial.Cell} seed={trial.Seed}";
    }

    private static string Source(string storeName, string sweep, StoredTrial trial) => $"{storeName}: sweep {sweep}: trial {trial.Key}";

    // A run trained under the monitor, finished, as the store keeps it (as 'train' records one).
    private static RunRecord FinishedRecord(MonitoredRunResult run, string name, IReadOnlyList<string> tags)
    {
        var training = run.Training;
        var ended = DateTimeOffset.UtcNow;
        var trace = run.Trace;
        double seconds = trace.StepCount > 0 ? trace.WallSeconds(trace.StepCount - 1) : double.NaN;
        return RunRecords.NewRecord(Kind, run.Spec, trace) with
        {
            Name = name,
            Tags = tags,
            Status = RunRecords.StatusOf(training.Status),
            Error = training.Status == TrainingStatus.Diverged ? training.Message : null,
            Started = double.IsFinite(seconds) ? ended - TimeSpan.FromSeconds(seconds) : ended,
            Ended = ended,
            Final = RunRecords.Metrics(training),
            Findings = run.Report.Findings,
        };
    }

    private static RunRecord FailedRecord(string id, RunSpec? spec, string name, IReadOnlyList<string> tags, DateTimeOffset started, string error) => new()
    {
        Id = id,
        Name = name,
        Tags = tags,
        Kind = Kind,
        Spec = spec,
        Data = spec is null ? null : new DataIdentity(spec.Data.Source),
        Status = RunStatus.Failed,
        Error = error,
        Started = started,
        Ended = DateTimeOffset.UtcNow,
        Version = RunStore.GradscopeVersion,
        Host = Environment.MachineName,
        Trace = new Trace([], [], [], "identity", 1),
    };
}
