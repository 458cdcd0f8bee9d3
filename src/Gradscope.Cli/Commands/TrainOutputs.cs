using System.Numerics;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Lab.Outputs;
using Gradscope.Lab.Reports;
using Gradscope.Serialization;
using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary>
/// The files <c>train</c> writes (<c>--save</c>, <c>--trace</c>), checked against the output policy
/// before any data is loaded, and written after training, also after an interrupt: then the model
/// carries <see cref="ModelFile.InterruptedKey"/> and the trace holds the steps taken.
/// </summary>
internal sealed class TrainOutputs
{
    private readonly OutputFiles _files;

    private TrainOutputs(OutputFiles files, OutputTarget? save, OutputTarget? trace, CliContext report)
    {
        _files = files;
        Save = save;
        Trace = trace;
        Report = report;
    }

    public OutputTarget? Save { get; }

    public OutputTarget? Trace { get; }

    /// <summary>The context the summary is printed to: standard error when an output took standard output.</summary>
    public CliContext Report { get; }

    /// <summary>Checks every output against the inputs and each other; throws <see cref="OutputPathException"/> (exit code 2).</summary>
    public static TrainOutputs Plan(CliContext context, RunConfig config, string? modelSpecPath, string? runSpecPath, string? save, string? trace, bool json)
    {
        var files = new OutputFiles(context.OpenStandardOutput);
        if (!IsBuiltInData(config.Data))
            files.AddInput("--data", config.Data);
        if (modelSpecPath is not null)
            files.AddInput("--model-spec", modelSpecPath);
        if (runSpecPath is not null)
            files.AddInput("--run-spec", runSpecPath);
        var saveTarget = save is null ? null : files.AddFile("--save", save);
        var traceTarget = trace is null ? null : files.AddFile("--trace", trace);
        if (json && files.WritesStandardOutput)
            throw new UsageException("--json prints its object on standard output, so no output can also be '-'; name a file.");
        var report = files.WritesStandardOutput ? context with { Out = context.Error } : context;
        return new TrainOutputs(files, saveTarget, traceTarget, report);
    }

    /// <summary>Writes what the run produced: the model unless training diverged, and the trace.</summary>
    public void Keep<T>(PreparedRun<T> run, GradientMonitor<T>? monitor, TrainingResult result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Save is { } save && result.Status != TrainingStatus.Diverged)
        {
            bool interrupted = result.Status == TrainingStatus.Interrupted;
            _files.Write(save, stream => ModelFile.Save(stream, save.Given, run.Spec, run.Network, run.Standardizer, run.ClassLabels, interrupted, run.Train.Sequence));
        }

        if (Trace is { } trace && monitor is not null)
            _files.Write(trace, stream => TraceFile.Write(monitor.Trace, stream));
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
