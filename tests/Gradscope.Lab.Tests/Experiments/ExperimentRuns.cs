using System.Diagnostics;
using Gradscope.Lab.Experiments;
using Xunit.Abstractions;

namespace Gradscope.Lab.Tests.Experiments;

/// <summary>Runs an experiment's quick version, printing its wall and CPU time and every expectation to the test output.</summary>
internal static class ExperimentRuns
{
    public static ExperimentResult Quick(IExperiment experiment, ITestOutputHelper output, int seed = 1)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = experiment.Run(new ExperimentSettings { Quick = true, Seed = seed });
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        output.WriteLine($"{experiment.Name} --quick seed {seed}: {clock.Elapsed.TotalSeconds:F1} s wall, {cpu.TotalSeconds:F1} s CPU");
        foreach (var e in result.Expectations)
            output.WriteLine($"{(e.Passed ? "PASS" : "FAIL")}  {e.Name}: {e.Measured}");
        return result;
    }

    /// <summary>Asserts every expectation held, naming the failing ones with what was measured.</summary>
    public static void AllPassed(ExperimentResult result)
    {
        var failed = result.Expectations.Where(e => !e.Passed).Select(e => $"{e.Name}: {e.Measured}").ToList();
        Assert.True(failed.Count == 0, "failed: " + string.Join("; ", failed));
    }

    /// <summary>The column of <paramref name="key"/> in every row of <paramref name="table"/>.</summary>
    public static IReadOnlyList<ResultValue> Column(ResultTable table, string key)
    {
        int index = table.Columns.Select(c => c.Key).ToList().IndexOf(key);
        Assert.True(index >= 0, $"no column {key}");
        return table.Rows.Select(r => r[index]).ToList();
    }
}
