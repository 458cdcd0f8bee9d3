using Gradscope.Lab.Exports.TensorBoard;
using Gradscope.Lab.Outputs;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Traces;

namespace Gradscope.Lab.Exports;

/// <summary>What <c>export</c> writes.</summary>
public enum ExportFormat
{
    /// <summary>The tidy table as CSV (<see cref="TidyExport"/>).</summary>
    Csv,

    /// <summary>The tidy table as Parquet.</summary>
    Parquet,

    /// <summary>The run as a trace file, format v2 (one run).</summary>
    Jsonl,

    /// <summary>A folder of TensorBoard event files, one sub-folder per run.</summary>
    TensorBoard,
}

/// <summary>
/// Exports recorded runs under the output policy of <see cref="OutputFiles"/>: plan the output
/// (<see cref="Plan"/>) before reading anything, then <see cref="Write"/>. The same code serves
/// <c>gradscope export TRACE...</c> and the run store's <c>runs export ID...</c>.
/// </summary>
public static class RunExport
{
    /// <summary>The format names <c>--format</c> accepts.</summary>
    public const string FormatNames = "csv, parquet, jsonl, tensorboard";

    /// <summary>Parses a format name; null when it is none of <see cref="FormatNames"/>.</summary>
    public static ExportFormat? ParseFormat(string name) => name.Trim().ToLowerInvariant() switch
    {
        "csv" => ExportFormat.Csv,
        "parquet" => ExportFormat.Parquet,
        "jsonl" or "trace" => ExportFormat.Jsonl,
        "tensorboard" or "tb" => ExportFormat.TensorBoard,
        _ => null,
    };

    /// <summary>Plans the output: a file for the tables and traces, a folder (created when missing) for TensorBoard.</summary>
    /// <exception cref="OutputPathException">The path cannot be used.</exception>
    public static OutputTarget Plan(OutputFiles files, ExportFormat format, string option, string path)
    {
        ArgumentNullException.ThrowIfNull(files);
        return format == ExportFormat.TensorBoard ? files.AddFolder(option, path) : files.AddFile(option, path);
    }

    /// <summary>Writes <paramref name="runs"/> to the planned <paramref name="target"/>; returns the files written (as given, for messages).</summary>
    public static IReadOnlyList<string> Write(OutputFiles files, OutputTarget target, ExportFormat format, IReadOnlyList<RunRecord> runs)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(runs);
        switch (format)
        {
            case ExportFormat.Csv:
                files.Write(target, stream => TidyExport.WriteCsv(runs, stream));
                return [target.Given];
            case ExportFormat.Parquet:
                files.Write(target, stream => TidyExport.WriteParquet(runs, stream));
                return [target.Given];
            case ExportFormat.Jsonl:
                if (runs.Count != 1)
                    throw new GradscopeException($"{target.Option}: a trace file holds one run; export {runs.Count} runs one at a time, or as csv, parquet or tensorboard.");
                files.Write(target, stream => TraceFiles.Write(runs[0], stream));
                return [target.Given];
            default:
                return WriteTensorBoard(files, target, runs);
        }
    }

    /// <summary>The sub-folder names of <paramref name="runs"/>: each run's name, else its id, made safe for a path and unique.</summary>
    public static IReadOnlyList<string> FolderNames(IReadOnlyList<RunRecord> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var names = new List<string>(runs.Count);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < runs.Count; i++)
        {
            string label = Safe(runs[i].Name ?? TidyRows.RunLabel(runs[i]));
            string name = label;
            for (int n = 2; !taken.Add(name); n++)
                name = $"{label}-{n}";
            names.Add(name);
        }

        return names;
    }

    private static List<string> WriteTensorBoard(OutputFiles files, OutputTarget folder, IReadOnlyList<RunRecord> runs)
    {
        var names = FolderNames(runs);
        var written = new List<string>(runs.Count);
        for (int i = 0; i < runs.Count; i++)
        {
            var sub = files.AddFolder(folder.Option, Path.Combine(folder.Given, names[i]));
            var file = files.AddFileIn(sub, TensorBoardExport.FileName(runs[i]));
            var run = runs[i];
            files.Write(file, stream => TensorBoardExport.Write(run, stream));
            written.Add(file.Given);
        }

        return written;
    }

    private static string Safe(string label)
    {
        var chars = label.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '-' or '_' or '.'))
                chars[i] = '_';
        }

        string safe = new(chars);
        return safe.Length == 0 || safe.Trim('.').Length == 0 ? "run" : safe;
    }
}
