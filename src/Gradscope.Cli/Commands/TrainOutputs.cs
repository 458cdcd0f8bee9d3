using System.Numerics;
using Gradscope.Data.Catalog;
using Gradscope.Diagnostics;
using Gradscope.Lab.Outputs;
using Gradscope.Lab.Reports.Html;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Traces;
using Gradscope.Serialization;
using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary>
/// The files <c>train</c> writes (<c>--save</c>, <c>--trace</c>), checked against the output policy
/// before any data is loaded. The trace streams as the run goes (format v2, <see cref="TraceWriter"/>:
/// written in place, so <c>tail -f</c> follows it; an atomic rename cannot be); the model is written
/// after training, also after an interrupt, then carrying <see cref="ModelFile.InterruptedKey"/>.
/// </summary>
internal sealed class TrainOutputs
{
    private readonly OutputFiles _files;

    private TrainOutputs(OutputFiles files, OutputTarget? save, OutputTarget? trace, OutputTarget? htmlReport, CliContext printTo)
    {
        _files = files;
        Save = save;
        Trace = trace;
        HtmlReport = htmlReport;
        Report = printTo;
    }

    /// <summary>The paths given with <c>--save</c>, <c>--trace</c> and <c>--report</c>; null where not given.</summary>
    public sealed record Paths(string? Save, string? Trace, string? Report);

    public OutputTarget? Save { get; }

    public OutputTarget? Trace { get; }

    /// <summary>The <c>--report</c> HTML file.</summary>
    public OutputTarget? HtmlReport { get; }

    /// <summary>The context the summary is printed to: standard error when an output took standard output.</summary>
    public CliContext Report { get; }

    /// <summary>Checks every output against the inputs and each other; throws <see cref="OutputPathException"/> (exit code 2).</summary>
    public static TrainOutputs Plan(CliContext context, RunSpec config, string? modelSpecPath, string? runSpecPath, Paths paths, bool json)
    {
        var files = new OutputFiles(context.OpenStandardOutput);
        if (!IsBuiltInData(config.Data.Source))
            files.AddInput("--data", config.Data.Source);
        if (modelSpecPath is not null)
            files.AddInput("--model-spec", modelSpecPath);
        if (runSpecPath is not null)
            files.AddInput("--run-spec", runSpecPath);
        var saveTarget = paths.Save is null ? null : files.AddFile("--save", paths.Save);
        var traceTarget = paths.Trace is null ? null : files.AddStreamed("--trace", paths.Trace);
        var reportTarget = paths.Report is null ? null : files.AddFile("--report", paths.Report);
        if (json && files.WritesStandardOutput)
            throw new UsageException("--json prints its object on standard output, so no output can also be '-'; name a file.");
        var report = files.WritesStandardOutput ? context with { Out = context.Error } : context;
        return new TrainOutputs(files, saveTarget, traceTarget, reportTarget, report);
    }

    /// <summary>
    /// Opens the streamed trace and starts its writer (header now, steps as the monitor records
    /// them), under the run's store id; null without <c>--trace</c>. The caller completes and disposes it.
    /// </summary>
    public TraceWriter? StartTrace<T>(PreparedRun<T> run, GradientMonitor<T>? monitor, string id)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Trace is not { } target || monitor is null)
            return null;
        var record = new RunRecord
        {
            Id = id,
            Kind = "train",
            Spec = run.Config,
            Data = DataOf(run.Config.Data.Source),
            Started = DateTimeOffset.UtcNow,
            Host = Environment.MachineName,
            Status = RunStatus.Running,
            Trace = monitor.Trace,
            Layers = RecordedLayers.Of(monitor),
        };
        var writer = new TraceWriter(_files.OpenStreamed(target), record, $"{target.Option} '{target.Given}'", leaveOpen: target.IsStandardOutput);
        run.Trainer.AddObserver(new TraceObserver<T>(writer));
        return writer;
    }

    /// <summary>Writes the model unless training diverged.</summary>
    public void Keep<T>(PreparedRun<T> run, TrainingResult result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Save is { } save && result.Status != TrainingStatus.Diverged)
        {
            bool interrupted = result.Status == TrainingStatus.Interrupted;
            _files.Write(save, stream => ModelFile.Save(stream, save.Given, run.Spec, run.Network, run.Standardizer, run.ClassLabels, interrupted, run.Train.Sequence));
        }
    }

    /// <summary>A run's status as the trace's <c>end</c> line says it.</summary>
    public static RunStatus StatusOf(TrainingStatus status) => status switch
    {
        TrainingStatus.Diverged => RunStatus.Diverged,
        TrainingStatus.Interrupted => RunStatus.Interrupted,
        _ => RunStatus.Completed,
    };

    /// <summary>The final numbers of the last epoch (NaN when none finished).</summary>
    public static RunMetrics FinalOf(TrainingResult result) => result.Epochs.Count == 0
        ? RunMetrics.None
        : new RunMetrics(result.Epochs[^1].TrainLoss, result.Epochs[^1].TrainAccuracy, result.Epochs[^1].TestAccuracy);

    private static DataIdentity DataOf(string data)
    {
        if (IsBuiltInData(data) || !File.Exists(data))
            return new DataIdentity(data);
        return new DataIdentity(data, Path.GetFullPath(data), new FileInfo(data).Length);
    }

    /// <summary>Writes the <c>--report</c> page of the run just finished.</summary>
    public void WriteReport(RunRecord record)
    {
        if (HtmlReport is { } target)
            _files.Write(target, stream => RunReport.Write([record], stream));
    }

    private static bool IsBuiltInData(string data)
    {
        foreach (string name in DatasetCatalog.Names)
        {
            if (string.Equals(name, data, StringComparison.OrdinalIgnoreCase))
                return true;
        }

        return false;
    }
}
