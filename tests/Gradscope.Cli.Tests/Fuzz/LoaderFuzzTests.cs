using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CsCheck;
using Xunit.Abstractions;

namespace Gradscope.Cli.Tests.Fuzz;

/// <summary>
/// Mutated CSV (plain and gzip), IDX, NPZ, safetensors, model, model spec and run description files
/// run through the commands in-process: never an internal error; exit 0 with a correct result or
/// exit 1 with one line naming the file; never output left behind. The default test run tries
/// 1,000 inputs; <c>GRADSCOPE_FUZZ_COUNT</c> sets the number (CI's fuzz stage: 10,000) and
/// <c>GRADSCOPE_FUZZ_REPORT</c> names a file that gets the summary. A failure lists every
/// offending input as its target, variant and mutations (records: <c>FlipBit { At = 9, Bit = 2 }</c>
/// replays as <c>new FlipBit(9, 2)</c> applied to the target's seed), with the exit code and the
/// first line of stderr, and keeps the input on disk.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class LoaderFuzzTests(ITestOutputHelper output)
{
    private const int DefaultCount = 1000;

    [Fact]
    public void MutatedFiles_NeverGiveInternalErrorsOrUnnamedFailures()
    {
        int count = Count();
        var seeds = FuzzSeeds.Create();
        var targets = FuzzTargets.All(seeds);
        var cases = Gen.Frequency([.. targets.Select(t => (t.Weight, (IGen<FuzzCase>)t.Cases))]);
        var results = new ConcurrentBag<FuzzResult>();
        var clock = Stopwatch.StartNew();

        cases.Sample(c => results.Add(FuzzRunner.RunWithin(c, seeds)), writeLine: output.WriteLine, iter: count);

        clock.Stop();
        string summary = Summary(results, targets, clock.Elapsed);
        output.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("GRADSCOPE_FUZZ_REPORT") is { Length: > 0 } report)
            File.WriteAllText(report, summary);
        var internalErrors = results.Where(r => r.Kind == FuzzProblemKind.InternalError).ToList();
        var violations = results.Where(r => r.Kind == FuzzProblemKind.Violation).ToList();
        Assert.True(internalErrors.Count == 0 && violations.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, [.. internalErrors, .. violations]));
        Directory.Delete(seeds.Dir, recursive: true);
    }

    private static int Count()
    {
        string? text = Environment.GetEnvironmentVariable("GRADSCOPE_FUZZ_COUNT");
        return string.IsNullOrWhiteSpace(text) ? DefaultCount : int.Parse(text, CultureInfo.InvariantCulture);
    }

    private static string Summary(IReadOnlyCollection<FuzzResult> results, IReadOnlyList<FuzzTarget> targets, TimeSpan elapsed)
    {
        int internalErrors = results.Count(r => r.Kind == FuzzProblemKind.InternalError);
        int violations = results.Count(r => r.Kind == FuzzProblemKind.Violation);
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"fuzz: {results.Count} inputs in {elapsed.TotalSeconds:F1} s, {internalErrors} internal errors, {violations} other violations, {results.Count(r => r.ReadBack)} saved models read back");
        foreach (var target in targets)
        {
            var mine = results.Where(r => r.Case.Target == target).ToList();
            int ok = mine.Count(r => r.Exit == 0);
            double slowest = mine.Count == 0 ? 0 : mine.Max(r => r.Elapsed.TotalMilliseconds);
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {target.Name,-18} {mine.Count,6} inputs, {ok,5} exit 0, {mine.Count - ok,5} refused, slowest {slowest,7:F0} ms");
        }

        return text.ToString();
    }
}
