using System.Diagnostics;
using Gradscope.Lab.Experiments;
using Xunit.Abstractions;

namespace Gradscope.Lab.Tests.Experiments;

/// <summary>Runs an experiment's quick version, printing its result with wall and CPU time to the test output.</summary>
internal static class TheoryQuickRun
{
    /// <summary>Runs <paramref name="experiment"/> with <see cref="ExperimentSettings.Quick"/> and the seed from GRADSCOPE_EXPERIMENT_SEED (default 1).</summary>
    public static ExperimentResult RunAndPrint(IExperiment experiment, ITestOutputHelper output)
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("GRADSCOPE_EXPERIMENT_SEED"), out int s) ? s : 1;
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = experiment.Run(new ExperimentSettings { Quick = true, Seed = seed });
        process.Refresh();
        output.WriteLine(Text(result));
        output.WriteLine($"seed {seed}: wall {clock.Elapsed.TotalSeconds:F1} s, CPU {(process.TotalProcessorTime - cpu).TotalSeconds:F1} s");
        return result;
    }

    /// <summary>The failing expectations with what was measured, for an assertion message.</summary>
    public static string Failures(ExperimentResult result)
    {
        var lines = new List<string>();
        foreach (var e in result.Expectations)
        {
            if (!e.Passed)
                lines.Add($"FAIL {e.Name}: {e.Measured}");
        }

        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>The result as plain text: setup, tables, expectations, notes.</summary>
    public static string Text(ExperimentResult result)
    {
        var lines = new List<string> { result.Setup };
        foreach (var table in (ResultTable[])[result.Cells, .. result.Tables])
        {
            lines.Add(table.Title);
            var header = new string[table.Columns.Count];
            for (int c = 0; c < header.Length; c++)
                header[c] = table.Columns[c].Header;
            lines.Add(string.Join(" | ", header));
            foreach (var row in table.Rows)
            {
                var cells = new string[row.Count];
                for (int c = 0; c < cells.Length; c++)
                    cells[c] = row[c].Display();
                lines.Add(string.Join(" | ", cells));
            }
        }

        foreach (var e in result.Expectations)
            lines.Add($"{(e.Passed ? "PASS" : "FAIL")} {e.Name}: {e.Measured}{(e.Paper is null ? "" : $" [paper: {e.Paper}]")}");
        lines.AddRange(result.Notes);
        return string.Join(Environment.NewLine, lines);
    }
}
