using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Lab.Traces;

namespace Gradscope.Cli.Commands.Runs;

/// <summary>
/// <c>gradscope runs import FILE</c>: stores a trace (format v2: Gradscope's own or the PyTorch
/// hook's) as a run beside Gradscope's, with every step, histogram and finding, so <c>runs list</c>,
/// <c>runs compare</c>, reports and exports show it. Its kind comes from the header (<c>torch</c>),
/// its status from the end line (interrupted when there is none). A trace without finding lines is
/// diagnosed on import. Importing a file whose run is already stored is refused: the run keeps the
/// header's id, or an id derived from the file's content, so the same file always maps to the same run.
/// </summary>
internal static class RunsImportCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The trace file (JSON Lines) to store." };
        var store = StoreOptions.StorePath();
        var name = new Option<string?>("--name") { Description = "A name for the run (default: the header's)." };
        var tag = new Option<string[]>("--tag") { Description = "A label for the run; repeatable." };
        var command = new Command("import",
            "Store a trace file as a run: a PyTorch run recorded by gradscope_torch, or a Gradscope trace. Importing the same file twice is refused.\n\n" +
            "Examples:\n  gradscope runs import run.jsonl\n  gradscope runs import run.jsonl --name resnet-sigmoid --tag pytorch")
        {
            file, store, name, tag,
        };
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(file)!;
            var tags = new List<string>(parsed.GetValue(tag) ?? []);
            if (parsed.GetValue(name) is { } n && n.Trim().Length == 0)
                throw new UsageException("--name must not be empty.");
            if (tags.Exists(t => t.Trim().Length == 0 || t.Contains('\n', StringComparison.Ordinal)))
                throw new UsageException("--tag must be a non-empty word without line breaks.");
            var run = Imported(path, parsed.GetValue(name), tags);
            string storePath = RunStore.ResolvePath(parsed.GetValue(store));
            using var opened = RunStore.Open(storePath);
            if (opened.Find(run.Id) is not null)
                throw new GradscopeException($"{path}: already in {storePath} as run {run.Id} (imported before, or recorded there by the run itself); nothing imported.");
            opened.Save(run);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"imported {path} as run {run.Id} ({run.Kind}, {run.Trace.StepCount} steps, {RunStore.StatusName(run.Status)}, {run.Findings.Count} finding(s)) into {storePath}"));
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>The run <paramref name="path"/> records, ready to store: id, times, status and findings settled.</summary>
    public static RunRecord Imported(string path, string? name, IReadOnlyList<string> tags)
    {
        if (!File.Exists(path))
            throw new GradscopeException(Directory.Exists(path) ? $"{path}: is a directory; give a trace file (JSON Lines)." : $"{path}: no such trace file.");
        var run = TraceDiagnosis.WithFindings(TraceReader.Read(path));
        var started = run.Started == DateTimeOffset.MinValue ? File.GetLastWriteTimeUtc(path) : run.Started;
        var allTags = new List<string>();
        foreach (string t in (IEnumerable<string>)[.. run.Tags, RunsRerunCommand.ImportedTag, .. tags])
        {
            if (!allTags.Contains(t))
                allTags.Add(t);
        }

        return run with
        {
            Id = IsId(run.Id) ? run.Id.ToUpperInvariant() : Ulid.FromContent(started, Hash(path)),
            Name = name ?? run.Name,
            Tags = allTags,
            Started = started,
            // No end line: its writer stopped without saying why (killed, or still running elsewhere).
            Status = run.Status is RunStatus.Running or RunStatus.Queued ? RunStatus.Interrupted : run.Status,
            Ended = run.Ended ?? File.GetLastWriteTimeUtc(path),
        };
    }

    private static bool IsId(string id) => id.Length == Ulid.Length && id.All(Ulid.IsIdCharacter);

    private static byte[] Hash(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        return SHA256.HashData(stream);
    }
}
