using Gradscope.Cli.Commands.Runs;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Training;

namespace Gradscope.Cli.Commands.Sweeps;

/// <summary>
/// Trains one trial of a sweep as <c>train</c> would (the cheap monitor, the diagnosis) on the
/// calling thread alone, and returns the run to store with the state the trial ends in. An error
/// does not escape: the trial is then a failed run with its message.
/// </summary>
internal static class TrialRun
{
    /// <summary>The run kind of sweep trials in the store.</summary>
    public const string Kind = "sweep";

    public static (RunRecord Run, TrialState State) Execute(StoredTrial trial, string sweep, string storePath, CancellationToken stop)
    {
        string name = trial.Cell.Length == 0 ? $"seed={trial.Seed}" : $"{trial.Cell} seed={trial.Seed}";
        IReadOnlyList<string> tags = [RunStore.SweepTag(sweep)];
        var started = DateTimeOffset.UtcNow;
        RunSpec? spec = null;
        try
        {
            spec = RunSpecJson.Read(trial.Spec, $"{storePath}: sweep {sweep}: trial {trial.Key}");
            var config = RunSpecs.ToConfig(spec);
            MonitoredRunResult result;
            using (ComputeThreads.SingleThreaded())
                result = MonitoredRun.Run(config, MonitorOptions.For(MonitorPreset.Cheap), cancellation: stop);
            var run = RunRecording.Finished(Kind, result, name, tags) with { Spec = spec };
            return (run, result.Training.Status == TrainingStatus.Interrupted ? TrialState.Interrupted : TrialState.Done);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return (Failed(spec, name, tags, started, ex.Message), TrialState.Failed);
        }
    }

    private static RunRecord Failed(RunSpec? spec, string name, IReadOnlyList<string> tags, DateTimeOffset started, string error) => new()
    {
        Id = Gradscope.Lab.Store.Ulid.New(),
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
