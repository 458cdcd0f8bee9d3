using System.Numerics;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Layers;
using Gradscope.Serialization;
using Gradscope.Training;

namespace Gradscope.Lab.Live;

/// <summary>
/// A hosted run in its number type, trained as <c>gradscope train --run-spec</c> trains: the
/// monitor (cheap statistics, histograms every 50 steps), the recorder after it (steps reach the
/// store within a second), the diagnosis at the end, the final model kept in the store. It is its
/// own last observer: after each step it holds at the <see cref="StepGate"/>.
/// </summary>
internal sealed class HostedRun<T>(string storePath, RunSpec spec, HostedRunOptions options, Action<HostedRun> ended, TimeSpan pausedLimit)
    : HostedRun(storePath, spec, options, ended, pausedLimit), ITrainingObserver<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private PreparedRun<T>? _run;
    private GradientMonitor<T>? _monitor;
    private RunRecorder<T>? _recorder;
    private Func<ModelSnapshot?>? _take;

    /// <inheritdoc/>
    protected override void Prepare()
    {
        if (Spec.Weights is { } weights)
            throw new GradscopeException($"The run description starts from the weights of '{weights}'; a run started here initializes its network. Set \"init\" to an initializer and \"weights\" to null.");
        var run = PreparedRun<T>.Create(Spec);

        // Standard is the cheap statistics plus histograms every 50 steps.
        var monitor = new GradientMonitor<T>(run.Network, MonitorOptions.For(MonitorPreset.Standard), MonitoredRun.ExpectedSteps(run));
        var record = RunRecords.NewRecord(Kind, Spec, monitor.Trace, Options.ParentId) with
        {
            Name = Options.Name,
            Tags = TagsOf(Options),
        };
        _recorder = RunRecorder<T>.Start(StorePath, record, message => Warning = message);
        run.Trainer.AddObserver(monitor);
        run.Trainer.AddObserver(_recorder);
        run.Trainer.AddObserver(this);
        (_run, _monitor, _take) = (run, monitor, TakeSnapshot);
        Id = record.Id;
        TotalSteps = MonitoredRun.ExpectedSteps(run);
    }

    /// <inheritdoc/>
    protected override (RunStatus Status, ModelSnapshot? Model) Train()
    {
        var run = _run!;
        var recorder = _recorder!;
        RunEnd end;
        ModelSnapshot? model = null;
        try
        {
            Gate.AtBoundary(_take!);
            var result = run.Trainer.Train(run.Train, run.Test, StopToken);
            var report = Diagnosis.Run(MonitoredRun.Context(_monitor!.Trace, run.Config));
            var status = RunRecords.StatusOf(result.Status);
            if (result.Status != TrainingStatus.Diverged)
                model = new ModelSnapshot(Steps, Save(run, status == RunStatus.Interrupted));
            end = new RunEnd(status, DateTimeOffset.UtcNow, RunRecords.Metrics(result), report.Findings)
            {
                Error = result.Status == TrainingStatus.Diverged ? result.Message : null,
                FirstNonFinite = _monitor.Trace.FirstNonFinite,
                Model = model?.Model,
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            end = new RunEnd(RunStatus.Failed, DateTimeOffset.UtcNow, RunMetrics.None, []) { Error = ex.Message };
        }

        Complete(recorder, end);
        return (end.Status, model);
    }

    /// <inheritdoc/>
    public void OnGradients(Sequential<T> model, in StepInfo step)
    {
    }

    /// <inheritdoc/>
    public void OnStepEnd(Sequential<T> model, in StepInfo step)
    {
        Stepped(step.Step + 1L);
        Gate.AtBoundary(_take!);
    }

    /// <inheritdoc/>
    public void OnEpochEnd(EpochResult epoch)
    {
    }

    private static IReadOnlyList<string> TagsOf(HostedRunOptions options)
    {
        var tags = new List<string>();
        foreach (string tag in options.Tags ?? [])
        {
            if (!tags.Contains(tag))
                tags.Add(tag);
        }

        if (!tags.Contains(Kind))
            tags.Add(Kind);
        return tags;
    }

    // On the training thread, between steps: the weights are not being updated.
    private ModelSnapshot? TakeSnapshot()
    {
        try
        {
            return new ModelSnapshot(Steps, Save(_run!, interrupted: false));
        }
        catch (GradscopeException)
        {
            return null;
        }
    }

    private static byte[] Save(PreparedRun<T> run, bool interrupted)
    {
        using var buffer = new MemoryStream();
        ModelFile.Save(buffer, "hosted run", run.Spec, run.Network, run.Standardizer, run.ClassLabels, interrupted);
        return buffer.ToArray();
    }

    private void Complete(RunRecorder<T> recorder, RunEnd end)
    {
        try
        {
            recorder.Complete(end);
        }
        catch (StoreException ex)
        {
            Warning = ex.Message;
        }
        finally
        {
            recorder.Dispose();
        }
    }
}
