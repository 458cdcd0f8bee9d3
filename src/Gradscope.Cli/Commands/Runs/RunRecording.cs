using System.Numerics;
using Gradscope.Diagnostics;
using Gradscope.Lab.Fixes;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Training;

namespace Gradscope.Cli.Commands.Runs;

/// <summary>
/// How commands record their runs. A store that cannot be used (an unwritable working directory, a
/// corrupt or locked file) costs one warning on standard error and nothing else: the command
/// goes on, its outputs and exit code unchanged.
/// </summary>
internal static class RunRecording
{
    /// <summary>Starts recording <paramref name="run"/> live; null when not recording or the store cannot be used (warned).</summary>
    public static RunRecorder<T>? Start<T>(CliContext context, StoreRequest request, RunRecord run)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (request.Path is null)
            return null;
        try
        {
            var writer = context.Error;
            return RunRecorder<T>.Start(request.Path, Label(run, request), message => writer.WriteLine(message));
        }
        catch (StoreException ex)
        {
            Warn(context, ex);
            return null;
        }
    }

    /// <summary>Records the end; a store that fails now is warned about once.</summary>
    public static void Finish<T>(CliContext context, RunRecorder<T>? recorder, RunEnd end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (recorder is null)
            return;
        try
        {
            recorder.Complete(end);
        }
        catch (StoreException ex)
        {
            Warn(context, ex);
        }
        finally
        {
            recorder.Dispose();
        }
    }

    /// <summary>Stores a finished run whole; returns its id, or null when not recording or the store failed (warned).</summary>
    public static string? Save(CliContext context, StoreRequest request, RunRecord run, byte[]? model = null)
    {
        if (request.Path is null)
            return null;
        try
        {
            using var store = RunStore.Open(request.Path);
            store.Save(Label(run, request), model);
            return run.Id;
        }
        catch (StoreException ex)
        {
            Warn(context, ex);
            return null;
        }
    }

    /// <summary>
    /// Stores the runs an experiment trained (a row without a monitored run is skipped), each
    /// named as given, of kind <c>experiment</c> and tagged <c>experiment:NAME</c>; returns their ids.
    /// </summary>
    public static IReadOnlyList<string> SaveExperiment(CliContext context, StoreRequest store, string experiment, IEnumerable<(MonitoredRunResult? Run, string Name)> rows)
    {
        var runs = new List<RunRecord>();
        foreach (var (run, name) in rows)
        {
            if (run is not null)
                runs.Add(Finished("experiment", run, name, ["experiment:" + experiment]));
        }

        return SaveAll(context, store, runs);
    }

    /// <summary>
    /// Stores finished runs whole (demo, experiment, diagnose and its fix trials), in order, on one
    /// open store; returns the ids stored. A store that cannot be used is warned about once and the
    /// runs after it are not tried.
    /// </summary>
    public static IReadOnlyList<string> SaveAll(CliContext context, StoreRequest request, IReadOnlyList<RunRecord> runs)
    {
        var ids = new List<string>();
        if (request.Path is null || runs.Count == 0)
            return ids;
        try
        {
            using var store = RunStore.Open(request.Path);
            foreach (var run in runs)
            {
                store.Save(Label(run, request));
                ids.Add(run.Id);
            }
        }
        catch (StoreException ex)
        {
            Warn(context, ex);
        }

        return ids;
    }

    /// <summary>A run trained under the monitor, finished, as the store keeps it.</summary>
    public static RunRecord Finished(string kind, MonitoredRunResult run, string? name = null, IReadOnlyList<string>? tags = null, string? parentId = null)
    {
        var training = run.Training;
        var ended = DateTimeOffset.UtcNow;
        var trace = run.Trace;
        double seconds = trace.StepCount > 0 ? trace.WallSeconds(trace.StepCount - 1) : double.NaN;
        return NewRecord(kind, run.Spec, trace, parentId) with
        {
            Name = name,
            Tags = tags ?? [],
            Status = StatusOf(training.Status),
            Error = training.Status == TrainingStatus.Diverged ? training.Message : null,
            Started = double.IsFinite(seconds) ? ended - TimeSpan.FromSeconds(seconds) : ended,
            Ended = ended,
            Final = Metrics(training),
            Findings = run.Report.Findings,
        };
    }

    /// <summary>
    /// Stores a diagnosis (kind <c>diagnose</c>) and each fix trial as its child (kind
    /// <c>fix-trial</c>, named by the remedy, tagged with its id); returns the ids stored.
    /// </summary>
    public static IReadOnlyList<string> SaveDiagnosis(CliContext context, StoreRequest request, MonitoredRunResult diagnosis, IReadOnlyList<FixOutcome> fixes)
    {
        var parent = Finished("diagnose", diagnosis);
        var runs = new List<RunRecord> { parent };
        foreach (var fix in fixes)
        {
            if (fix is { Remedy: { } remedy, Run: { } trial })
                runs.Add(Finished("fix-trial", trial, remedy.Title, [remedy.Id], parent.Id));
        }

        return SaveAll(context, request, runs);
    }

    /// <summary>What a multi-run command prints after storing: "recorded 3 runs in gradscope.db".</summary>
    public static string Recorded(IReadOnlyList<string> ids, StoreRequest request) =>
        ids.Count == 1 ? $"recorded run {ids[0]} in {request.Path}" : $"recorded {ids.Count} runs in {request.Path}";

    /// <summary>The record of a run about to start (see <see cref="RunRecords.NewRecord"/>).</summary>
    public static RunRecord NewRecord(string kind, RunSpec spec, Trace trace, string? parentId = null) =>
        RunRecords.NewRecord(kind, spec, trace, parentId);

    /// <summary>A built-in set by name; a file by name, full path, size and SHA-256.</summary>
    public static DataIdentity Identify(string data) => RunRecords.Identify(data);

    /// <summary>The run's status from how training ended.</summary>
    public static RunStatus StatusOf(TrainingStatus status) => RunRecords.StatusOf(status);

    /// <summary>Final loss and accuracies of a training result (NaN where not measured).</summary>
    public static RunMetrics Metrics(TrainingResult result) => RunRecords.Metrics(result);

    private static RunRecord Label(RunRecord run, StoreRequest request) =>
        run with { Name = run.Name ?? request.Name, Tags = [.. run.Tags, .. request.Tags] };

    private static void Warn(CliContext context, StoreException ex) =>
        context.Error.WriteLine($"warning: not recording the run: {ex.Message}");
}
