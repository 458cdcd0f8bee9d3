using System.Numerics;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Training;

namespace Gradscope.Lab.Sweeps.Workers;

/// <summary>How a recorded trial's training ended.</summary>
/// <param name="RunId">The run that recorded it.</param>
/// <param name="Status">The run's status: completed or diverged (the trial is done), failed, or interrupted (stopped or its lease lost).</param>
/// <param name="Error">The failure's or divergence's message.</param>
public sealed record TrialOutcome(string RunId, RunStatus Status, string? Error)
{
    /// <summary>True when the trial ran to its end: a divergence is a result too.</summary>
    public bool Done => Status is RunStatus.Completed or RunStatus.Diverged;
}

public static partial class TrialTraining
{
    /// <summary>
    /// Trains the claimed trial single-threaded, its run (id <see cref="ClaimedTrial.RunId"/>, tag
    /// <c>sweep:NAME</c>) recorded into the store at <paramref name="store"/> as it trains, and
    /// returns how it ended. The recording keeps on through a database that goes away for up to
    /// <paramref name="retryBudget"/> at a time.
    /// </summary>
    /// <exception cref="StoreException">The store could not be written within the retry budget.</exception>
    public static TrialOutcome Recorded(ClaimedTrial claim, StoreLocation store, TimeSpan retryBudget, Action<string> warn, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(store);
        var trial = claim.Trial;
        var started = DateTimeOffset.UtcNow;
        RunSpec spec;
        try
        {
            spec = RunSpecJson.Read(trial.Spec, Source(store.Display, claim.Sweep, trial));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not StoreException)
        {
            return SaveFailed(claim, store, retryBudget, null, started, ex.Message);
        }

        var recording = new Recording(claim, store, retryBudget, warn, spec, RunName(trial), [RunStore.SweepTag(claim.Sweep)]);
        using (ComputeThreads.SingleThreaded())
            return spec.DType == NumberType.Float64 ? recording.Train<double>(spec, stop) : recording.Train<float>(spec, stop);
    }

    // A trial that cannot even start is a failed run, stored whole.
    private static TrialOutcome SaveFailed(ClaimedTrial claim, StoreLocation location, TimeSpan retryBudget, RunSpec? spec, DateTimeOffset started, string error)
    {
        var run = FailedRecord(claim.RunId, spec, RunName(claim.Trial), [RunStore.SweepTag(claim.Sweep)], started, error);
        using var store = RunStore.Open(location, retryBudget, null);
        if (!store.RunExists(run.Id))
            store.Save(run);
        return new TrialOutcome(run.Id, RunStatus.Failed, error);
    }

    private sealed record Recording(ClaimedTrial Claim, StoreLocation Store, TimeSpan RetryBudget, Action<string> Warn, RunSpec Spec, string Name, IReadOnlyList<string> Tags)
    {
        public TrialOutcome Train<T>(RunSpec spec, CancellationToken stop)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var started = DateTimeOffset.UtcNow;
            PreparedRun<T> run;
            try
            {
                run = PreparedRun<T>.Create(spec);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not StoreException)
            {
                return SaveFailed(Claim, Store, RetryBudget, Spec, started, ex.Message);
            }

            // The same monitor and diagnosis as MonitoredRun, with the recorder after the monitor.
            var monitor = new GradientMonitor<T>(run.Network, MonitorOptions.For(MonitorPreset.Cheap), MonitoredRun.ExpectedSteps(run));
            var record = RunRecords.NewRecord(Kind, spec, monitor.Trace) with { Id = Claim.RunId, Name = Name, Tags = Tags };
            using var recorder = RunRecorder<T>.Start(Store, record, Warn, 0, RetryBudget);
            run.Trainer.AddObserver(monitor);
            run.Trainer.AddObserver(recorder);
            var end = Train(run, monitor, stop);
            recorder.Complete(end);
            if (recorder.Failed)
                throw new StoreException($"run store '{Store.Display}': the steps of run {record.Id} could not be written within the retry budget.");
            return new TrialOutcome(record.Id, end.Status, end.Error);
        }

        private static RunEnd Train<T>(PreparedRun<T> run, GradientMonitor<T> monitor, CancellationToken stop)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            try
            {
                var result = run.Trainer.Train(run.Train, run.Test, stop);
                var context = MonitoredRun.Context(monitor.Trace, run.Config) with { Network = NetworkFacts.For(run.Spec, run.Config.Init) };
                var report = Diagnosis.Run(context);
                return new RunEnd(RunRecords.StatusOf(result.Status), DateTimeOffset.UtcNow, RunRecords.Metrics(result), report.Findings)
                {
                    Error = result.Status == TrainingStatus.Diverged ? result.Message : null,
                    FirstNonFinite = monitor.Trace.FirstNonFinite,
                };
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not StoreException)
            {
                return new RunEnd(RunStatus.Failed, DateTimeOffset.UtcNow, RunMetrics.None, []) { Error = ex.Message };
            }
        }
    }
}
