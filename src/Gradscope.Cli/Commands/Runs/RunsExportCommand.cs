using System.CommandLine;
using Gradscope.Lab.Exports;
using Gradscope.Lab.Outputs;
using Gradscope.Lab.Runs;

namespace Gradscope.Cli.Commands.Runs;

/// <summary>
/// <c>gradscope runs export ID... --format F -o PATH</c>: stored runs as a tidy table (CSV, Parquet),
/// TensorBoard event files (one sub-folder per run) or a v2 trace, the same writers as
/// <c>gradscope export</c> uses for trace files.
/// </summary>
internal static class RunsExportCommand
{
    public static Command Create(CliContext context)
    {
        var store = StoreOptions.StorePath();
        var ids = new Argument<string[]>("ID") { Description = "Runs to export (ids or unique prefixes).", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = $"What to write: {RunExport.FormatNames}.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The file to write (csv, parquet, jsonl; '-' for standard output) or, for tensorboard, the log folder (one sub-folder per run).", Required = true };
        var command = new Command("export",
            "Export stored runs: a tidy table (run, step, layer, layer_name, statistic, value) as CSV or Parquet, " +
            "TensorBoard event files (one sub-folder per run, so TensorBoard compares them), or one run's trace (jsonl).\n\n" +
            "Examples:\n" +
            "  gradscope runs export 01JD3 --format csv -o run.csv\n" +
            "  gradscope runs export 01JD3 01JD4 --format parquet -o runs.parquet\n" +
            "  gradscope runs export 01JD3 01JD4 --format tensorboard -o logs && tensorboard --logdir logs")
        {
            ids, format, output, store,
        };
        command.SetAction(parsed => Run(context, parsed.GetValue(store), parsed.GetValue(ids)!, parsed.GetValue(format)!, parsed.GetValue(output)!));
        return command;
    }

    private static int Run(CliContext context, string? storePath, string[] prefixes, string formatName, string outputPath)
    {
        var format = RunExport.ParseFormat(formatName) ?? throw new UsageException($"--format: unknown format '{formatName}'; use one of {RunExport.FormatNames}.");
        using var opened = RunIds.Open(storePath);
        var files = new OutputFiles(context.OpenStandardOutput);
        // The store itself is an input no export may overwrite.
        files.AddInput("--store", opened.Path);
        var target = RunExport.Plan(files, format, "-o", outputPath);
        var runs = new List<RunRecord>(prefixes.Length);
        foreach (string runId in prefixes.Select(prefix => RunIds.Resolve(opened, prefix)).Distinct())
            runs.Add(opened.Load(runId));

        var written = RunExport.Write(files, target, format, runs);
        var report = files.WritesStandardOutput ? context.Error : context.Out;
        foreach (string file in written)
            report.WriteLine($"wrote {file}");
        return CliApp.Success;
    }
}
