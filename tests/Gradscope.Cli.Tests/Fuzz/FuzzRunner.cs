using System.Diagnostics;
using Gradscope.Memory;

namespace Gradscope.Cli.Tests.Fuzz;

/// <summary>What went wrong in one case: an internal error (the counter the suite keeps at zero) or another broken promise.</summary>
internal enum FuzzProblemKind
{
    None,
    InternalError,
    Violation,
}

/// <summary>The outcome of one case: the exit code, the first line of stderr, and the problem if any.</summary>
internal sealed record FuzzResult(FuzzCase Case, int Exit, string FirstErrorLine, TimeSpan Elapsed, FuzzProblemKind Kind, string Problem, string? KeptAt)
{
    /// <summary>Whether the model the command saved was inspected on its data afterwards.</summary>
    public bool ReadBack { get; init; }

    public override string ToString() =>
        $"[{Problem}] {Case} -> exit {Exit}, stderr: {FirstErrorLine}{(KeptAt is null ? "" : $" (input kept at {KeptAt})")}";
}

/// <summary>
/// Runs one case: writes the mutated file (and its unchanged partners) into a fresh folder, runs the
/// command in-process under a 256 MB memory limit, and checks the promises every command makes
/// about bad files. A failing case's folder is kept, so its input can be inspected and replayed.
/// </summary>
internal static class FuzzRunner
{
    /// <summary>The memory limit of every run, low enough that a lying size cannot take the machine's memory.</summary>
    public const long MemoryLimit = 256L << 20;

    /// <summary>Longer than this for one run of a command on a 36-row file is a violation: a loader working through a lying size.</summary>
    public static readonly TimeSpan SlowRun = TimeSpan.FromSeconds(10);

    /// <summary>A run still going after this is reported as a hang, and the suite goes on without it.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    /// <summary>Runs the case, giving up on it (reported as a hang) after <see cref="Hang"/>.</summary>
    public static FuzzResult RunWithin(FuzzCase fuzzCase, FuzzSeeds seeds)
    {
        var run = Task.Run(() => Run(fuzzCase, seeds));
        if (run.Wait(Hang))
            return run.Result;
        return new FuzzResult(fuzzCase, -1, "", Hang, FuzzProblemKind.Violation, $"still running after {Hang.TotalSeconds} s: a hang (it goes on in the background)", null);
    }

    public static FuzzResult Run(FuzzCase fuzzCase, FuzzSeeds seeds)
    {
        string dir = Directory.CreateTempSubdirectory("gradscope-fuzz-").FullName;
        byte[] bytes = fuzzCase.Apply();
        string file = Path.Combine(dir, fuzzCase.Target.FileName);
        File.WriteAllBytes(file, bytes);
        foreach (var (name, partner) in fuzzCase.Target.Partners)
            File.WriteAllBytes(Path.Combine(dir, name), partner);
        var command = fuzzCase.Target.Command(dir, file, fuzzCase.Variant);

        var (exit, stdout, stderr, elapsed, allocated) = Execute(command.Args);
        string firstLine = stderr.Split('\n', 2)[0].TrimEnd('\r');
        var run = new FuzzRun(fuzzCase, command, dir, file, exit, stdout, stderr, bytes.AsSpan().SequenceEqual(fuzzCase.Target.Seed), seeds);
        var (kind, problem) = FuzzChecks.Check(run);
        bool readBack = kind == FuzzProblemKind.None && exit == 0 && command.ReadBackData is not null && fuzzCase.Variant % 4 == 0;
        if (readBack)
            (kind, problem) = ReadBack(command.Save!, command.ReadBackData!);
        if (kind == FuzzProblemKind.None && elapsed > SlowRun)
            (kind, problem) = (FuzzProblemKind.Violation, $"took {elapsed.TotalSeconds:F1} s");
        if (kind == FuzzProblemKind.None && allocated > 4 * MemoryLimit)
            (kind, problem) = (FuzzProblemKind.Violation, $"allocated {MemoryBudget.Format(allocated)} under a {MemoryBudget.Format(MemoryLimit)} limit");

        if (kind == FuzzProblemKind.None)
            Directory.Delete(dir, recursive: true);
        return new FuzzResult(fuzzCase, exit, firstLine, elapsed, kind, problem, kind == FuzzProblemKind.None ? null : file) { ReadBack = readBack };
    }

    // A model that train saved inspects on the data it was trained on: its classes, standardization
    // and architecture metadata agree with its tensors and with that data.
    private static (FuzzProblemKind, string) ReadBack(string model, string data)
    {
        var (exit, _, stderr, _, _) = Execute(["inspect", "--model", model, "--data", data, "--json"]);
        if (stderr.Contains("internal error", StringComparison.Ordinal))
            return (FuzzProblemKind.InternalError, $"internal error reading the saved model back: {stderr.Split('\n')[0]}");
        return exit == 0 ? (FuzzProblemKind.None, "") : (FuzzProblemKind.Violation, $"the saved model does not inspect on its data: {stderr.Split('\n')[0]}");
    }

    private static (int Exit, string Out, string Err, TimeSpan Elapsed, long Allocated) Execute(string[] args)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        try
        {
            using (MemoryBudget.Override(MemoryLimit))
            {
                var (exit, output, error) = CliRunner.Run(args);
                return (exit, output, error, clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - before);
            }
        }
        catch (Exception ex)
        {
            // CliApp catches everything; an exception here escaped it, which is worse than an internal error.
            return (-1, "", $"internal error: escaped CliApp.Run: {ex.GetType().Name}: {ex.Message}", clock.Elapsed, 0);
        }
    }
}

/// <summary>One finished run, as the checks see it.</summary>
internal sealed record FuzzRun(FuzzCase Case, FuzzCommand Command, string Dir, string File, int Exit, string Out, string Err, bool Unchanged, FuzzSeeds Seeds);
