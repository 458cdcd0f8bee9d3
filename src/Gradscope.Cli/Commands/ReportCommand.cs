using System.CommandLine;
using Gradscope.Cli.Commands.Runs;
using Gradscope.Lab.Outputs;
using Gradscope.Lab.Reports.Html;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Lab.Traces;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope report SOURCE... -o report.html</c>: one self-contained, interactive HTML page of
/// stored runs (ids or unique prefixes) and trace files, side by side on one colour scale.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var sources = new Argument<string[]>("SOURCE") { Description = "Runs to show: ids (or unique prefixes) of stored runs, or trace files (JSON Lines).", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string>("--output", "-o") { Description = "The HTML file to write.", Required = true };
        var title = new Option<string?>("--title") { Description = "The page's title (default: the runs' names)." };
        var store = StoreOptions.StorePath();
        var sweep = new Option<string?>("--sweep") { Description = "Report a sweep instead of runs: matrices of depth x activation, one per initialization, of a chosen measure (orders lost, accuracy, loss) per cell." };
        var command = new Command("report",
            "Write an interactive HTML report of recorded runs: one self-contained page that works offline, with the layers x steps gradient heatmaps " +
            "on one shared colour scale, per-layer curves, histograms over time, loss and accuracy, findings and configurations.\n\n" +
            "Examples:\n" +
            "  gradscope report 01JD3 01JD4 -o compare.html\n" +
            "  gradscope report run.jsonl -o run.html\n" +
            "  gradscope report --sweep depth -o depth.html")
        {
            sources, output, title, store, sweep,
        };
        command.SetAction(parsed =>
        {
            string[] given = parsed.GetValue(sources) ?? [];
            if (parsed.GetValue(sweep) is { } name)
            {
                if (given.Length > 0)
                    throw new UsageException("--sweep reports a whole sweep: give it without run ids or trace files.");
                return SweepReportFile(context, name, parsed.GetValue(output)!, parsed.GetValue(store));
            }

            if (given.Length == 0)
                throw new UsageException("report needs run ids or trace files to show (or --sweep NAME).");
            return Run(context, given, parsed.GetValue(output)!, parsed.GetValue(title), parsed.GetValue(store));
        });
        return command;
    }

    private static int Run(CliContext context, string[] sources, string outputPath, string? title, string? storePath)
    {
        var files = new OutputFiles(context.OpenStandardOutput);
        RunStore? opened = null;
        try
        {
            var runs = new List<RunRecord>(sources.Length);
            foreach (string source in sources)
                runs.Add(Load(source, files, ref opened, storePath));
            var target = files.AddFile("-o", outputPath);
            files.Write(target, stream => RunReport.Write(runs, stream, title));
            (files.WritesStandardOutput ? context.Error : context.Out).WriteLine($"wrote {target}");
            return CliApp.Success;
        }
        finally
        {
            opened?.Dispose();
        }
    }

    private static int SweepReportFile(CliContext context, string name, string outputPath, string? storePath)
    {
        var files = new OutputFiles(context.OpenStandardOutput);
        using var opened = RunIds.Open(storePath);
        files.AddInput("--store", opened.Path);
        if (opened.FindSweep(name) is null)
            throw new UsageException($"no sweep '{name}' in {opened.Path} (see 'gradscope sweep list').");
        var target = files.AddFile("-o", outputPath);
        files.Write(target, stream => SweepReport.Write(opened, name, stream));
        (files.WritesStandardOutput ? context.Error : context.Out).WriteLine($"wrote {target}");
        return CliApp.Success;
    }

    // A file that exists is a trace; anything else names a stored run. A trace without finding lines
    // (the PyTorch hook writes none) is diagnosed here, as 'runs import' does, so the report shows
    // what 'diagnose --trace' finds; one without an id is labelled by its file name.
    private static RunRecord Load(string source, OutputFiles files, ref RunStore? opened, string? storePath)
    {
        if (File.Exists(source))
        {
            files.AddInput("trace", source);
            var run = TraceDiagnosis.WithFindings(TraceReader.Read(source));
            return string.IsNullOrEmpty(run.Id) ? run with { Id = Path.GetFileName(source) } : run;
        }

        if (source.Contains('/', StringComparison.Ordinal) || source.Contains('.', StringComparison.Ordinal))
            throw new GradscopeException($"{source}: no such trace file.");
        if (opened is null)
        {
            opened = RunIds.Open(storePath);
            files.AddInput("--store", opened.Path);
        }

        return opened.Load(RunIds.Resolve(opened, source));
    }
}
