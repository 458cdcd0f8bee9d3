using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Gradscope.Cli.Commands.Runs;
using Gradscope.Cli.Output;
using Gradscope.Lab.Experiments;
using Gradscope.Lab.Outputs;
using Gradscope.Lab.Reports.Experiments;
using Gradscope.Lab.Runs;

namespace Gradscope.Cli.Commands;

/// <summary>
/// Runs one experiment of the catalogue: progress lines while it runs, then its result as text or
/// JSON (and an HTML page with <c>--report</c>), its runs recorded in the store tagged
/// <c>experiment:NAME</c>. Exit 0 when every expectation holds, 1 when one fails, 130 after Ctrl-C.
/// </summary>
internal static class ExperimentRunner
{
    public static int Run(CliContext context, IReadOnlyList<IExperiment> catalogue, string? name, ExperimentRequest request)
    {
        var experiment = ExperimentCommand.Find(catalogue, name);

        // The report's path is checked before anything runs, so a bad one costs nothing.
        var files = new OutputFiles(context.OpenStandardOutput);
        var report = request.Report is null ? null : files.AddFile("--report", request.Report);
        if (request.Json && files.WritesStandardOutput)
            throw new UsageException("--report - and --json both write standard output; give --report a file name.");
        var terminal = files.WritesStandardOutput ? new Terminal(context.Error, context.Plain) : context.CreateTerminal();

        // Listening before the first line, so a Ctrl-C after it stops the experiment cleanly.
        var stop = context.Interrupts.Listen();
        if (!request.Json)
            terminal.Line($"[bold]Gradscope experiment {experiment.Name}[/]{(request.Quick ? " (quick)" : "")}");
        var settings = new ExperimentSettings
        {
            Quick = request.Quick,
            Seed = request.Seed,
            Parallelism = request.Parallel,
            DataDir = request.DataDir,
            Progress = request.Json ? null : new LineProgress(terminal),
            Cancellation = stop,
        };
        var clock = Stopwatch.StartNew();
        ExperimentResult result;
        try
        {
            result = RunUnwrapped(experiment, settings);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            context.Error.WriteLine($"interrupted: experiment {experiment.Name} stopped before it finished; nothing printed or recorded.");
            return context.Interrupts.ExitCode;
        }

        var elapsed = clock.Elapsed;
        var recorded = Record(context, request.Store, result);
        if (request.Json)
            ExperimentJson.Write(context.Out, result, request.Quick, request.Seed, elapsed, recorded);
        else
            ExperimentText.Write(terminal, result, elapsed);
        if (report is not null)
            files.Write(report, stream => ExperimentReport.Write(result, new ExperimentReportInfo(request.Quick, request.Seed, elapsed.TotalSeconds, recorded), stream));
        if (!request.Json && recorded.Count > 0)
            terminal.Text($"{RunRecording.Recorded(recorded, request.Store)}: {string.Join(", ", recorded)}");
        if (stop.IsCancellationRequested)
            return context.Interrupts.ExitCode;
        return result.Passed ? CliApp.Success : CliApp.Failure;
    }

    // Parallel loops wrap what a run throws; the first inner exception is the one to report
    // (a GradscopeException is bad data, exit 1; a cancellation is Ctrl-C).
    private static ExperimentResult RunUnwrapped(IExperiment experiment, ExperimentSettings settings)
    {
        try
        {
            return experiment.Run(settings);
        }
        catch (AggregateException ex)
        {
            ExceptionDispatchInfo.Capture(ex.Flatten().InnerExceptions[0]).Throw();
            throw;
        }
    }

    // The experiment's trained runs, each named by it, tagged experiment:NAME.
    private static IReadOnlyList<string> Record(CliContext context, StoreRequest store, ExperimentResult result)
    {
        var rows = new List<(MonitoredRunResult? Run, string Name)>(result.Runs.Count);
        foreach (var run in result.Runs)
            rows.Add((run.Run, run.Name));
        return RunRecording.SaveExperiment(context, store, result.Experiment, rows);
    }

    // Experiments report from worker threads; a lock keeps their lines whole.
    private sealed class LineProgress(Terminal terminal) : IProgress<string>
    {
        private readonly Lock _lock = new();

        public void Report(string value)
        {
            lock (_lock)
                terminal.Text("  " + value);
        }
    }
}
