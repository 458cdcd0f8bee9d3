using System.Diagnostics;
using System.Text;
using Gradscope.Lab.Experiments;

namespace Gradscope.Lab.Tests.Experiments;

/// <summary>
/// Plain text of an experiment's result for a test's output (setup, tables, expectations), and a
/// timer of wall and CPU time, so a quick run's numbers and cost can be read from the test log.
/// </summary>
internal static class ExperimentResultDump
{
    /// <summary>The result as aligned text tables and PASS/FAIL lines.</summary>
    public static string Format(ExperimentResult result)
    {
        var text = new StringBuilder();
        text.AppendLine($"{result.Experiment}: {result.Setup}");
        foreach (var table in new[] { result.Cells }.Concat(result.Tables))
            AppendTable(text, table);
        foreach (var e in result.Expectations)
            text.AppendLine($"{(e.Passed ? "PASS" : "FAIL")} {e.Name}: {e.Measured}{(e.Paper is null ? "" : $" [paper: {e.Paper}]")}");
        return text.ToString();
    }

    /// <summary>Every failed expectation with its measurement, one per line (empty when all passed).</summary>
    public static string Failures(ExperimentResult result) =>
        string.Join(Environment.NewLine, result.Expectations.Where(e => !e.Passed).Select(e => $"{e.Name}: {e.Measured}"));

    /// <summary>Runs <paramref name="action"/> and returns its result with the wall and process CPU seconds it took.</summary>
    public static (T Result, double WallSeconds, double CpuSeconds) Timed<T>(Func<T> action)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = action();
        process.Refresh();
        return (result, clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static void AppendTable(StringBuilder text, ResultTable table)
    {
        var cells = new List<string[]> { table.Columns.Select(c => c.Header).ToArray() };
        cells.AddRange(table.Rows.Select(r => r.Select(v => v.Display()).ToArray()));
        var widths = new int[table.Columns.Count];
        foreach (var row in cells)
        {
            for (int i = 0; i < row.Length; i++)
                widths[i] = Math.Max(widths[i], row[i].Length);
        }

        text.AppendLine().AppendLine(table.Title);
        foreach (var row in cells)
            text.AppendLine(string.Join("  ", row.Select((v, i) => v.PadLeft(widths[i]))));
        text.AppendLine();
    }
}
