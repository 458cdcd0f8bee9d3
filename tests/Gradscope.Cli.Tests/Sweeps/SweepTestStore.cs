using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;

namespace Gradscope.Cli.Tests.Sweeps;

/// <summary>Sweep command lines on a store of their own, and what the store then holds.</summary>
internal static class SweepTestStore
{
    // Tiny spiral runs: 2 cores and a quick suite.
    public static readonly string[] Quick = ["--data", "spiral", "--samples", "256", "--max-steps", "30", "--batch-size", "32"];

    public static string NewStore() => Path.Combine(CliRunner.TempDir(), "s.db");

    public static (int Exit, string Out, string Err) Run(string store, params string[] args) =>
        CliRunner.Run(["sweep", "run", .. Quick, "--store", store, .. args]);

    /// <summary>The runs tagged sweep:NAME, whole (steps included).</summary>
    public static List<RunRecord> Runs(string store, string sweep)
    {
        using var opened = RunStore.Open(store);
        var runs = new List<RunRecord>();
        foreach (var summary in opened.List())
        {
            if (summary.Record.Tags.Contains(RunStore.SweepTag(sweep)))
                runs.Add(opened.Load(summary.Record.Id));
        }

        return runs;
    }

    public static IReadOnlyList<StoredTrial> Trials(string store, string sweep)
    {
        using var opened = RunStore.Open(store);
        return opened.Trials(sweep);
    }
}
