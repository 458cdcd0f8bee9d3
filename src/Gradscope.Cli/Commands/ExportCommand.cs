using System.CommandLine;
using Gradscope.Lab.Exports;
using Gradscope.Lab.Outputs;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Traces;

namespace Gradscope.Cli.Commands;

/// <summary><c>gradscope export TRACE... --format F -o PATH</c>: trace files as tidy tables, TensorBoard event files or a v2 trace.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var traces = new Argument<string[]>("traces") { Description = "Trace files (JSON Lines, from 'gradscope train --trace' or the PyTorch hook).", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = $"What to write: {RunExport.FormatNames}.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The file to write (csv, parquet, jsonl; '-' for standard output) or, for tensorboard, the log folder (one sub-folder per run).", Required = true };
        var command = new Command("export",
            "Export recorded runs from their trace files: a tidy table (run, step, layer, layer_name, statistic, value) as CSV or Parquet, " +
            "TensorBoard event files (one sub-folder per run, so TensorBoard compares them), or the trace rewritten in the current format (jsonl).\n\n" +
            "Examples:\n" +
            "  gradscope export run.jsonl --format csv -o run.csv\n" +
            "  gradscope export sigmoid.jsonl relu.jsonl --format parquet -o runs.parquet\n" +
            "  gradscope export sigmoid.jsonl relu.jsonl --format tensorboard -o logs && tensorboard --logdir logs")
        {
            traces, format, output,
        };
        command.SetAction(parsed => Run(context, parsed.GetValue(traces)!, parsed.GetValue(format)!, parsed.GetValue(output)!));
        return command;
    }

    private static int Run(CliContext context, string[] paths, string formatName, string outputPath)
    {
        var format = RunExport.ParseFormat(formatName) ?? throw new UsageException($"--format: unknown format '{formatName}'; use one of {RunExport.FormatNames}.");
        var files = new OutputFiles(context.OpenStandardOutput);
        foreach (string path in paths)
        {
            if (!File.Exists(path))
                throw new GradscopeException($"{path}: no such trace file.");
            files.AddInput("trace", path);
        }

        var target = RunExport.Plan(files, format, "-o", outputPath);
        var runs = new List<RunRecord>(paths.Length);
        foreach (string path in paths)
        {
            var run = TraceReader.Read(path);
            runs.Add(string.IsNullOrEmpty(run.Id) ? run with { Id = Path.GetFileNameWithoutExtension(path) } : run);
        }

        var written = RunExport.Write(files, target, format, runs);
        var report = files.WritesStandardOutput ? context.Error : context.Out;
        foreach (string file in written)
            report.WriteLine($"wrote {file}");
        return CliApp.Success;
    }
}
