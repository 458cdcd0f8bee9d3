using System.Globalization;
using Gradscope.Lab.Experiments;
using Spectre.Console;

namespace Gradscope.Cli.Output;

/// <summary>An experiment's result as a user reads it: setup, tables, expectations (PASS/FAIL with the paper's number beside), notes and time.</summary>
internal static class ExperimentText
{
    public static void Write(Terminal terminal, ExperimentResult result, TimeSpan elapsed)
    {
        terminal.Text($"setup: {result.Setup}");
        WriteTable(terminal, result.Cells);
        foreach (var table in result.Tables)
            WriteTable(terminal, table);
        foreach (var e in result.Expectations)
            terminal.Line(Expectation(e));
        foreach (string note in result.Notes)
            terminal.Text($"note: {note}");
        terminal.Text(string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:F1} s"));
    }

    /// <summary><c>PASS  name: measured (paper: ...)</c>, green or red on a terminal.</summary>
    public static string Expectation(ExpectationResult e)
    {
        string paper = e.Paper is null ? "" : $"  (paper: {Markup.Escape(e.Paper)})";
        string verdict = e.Passed ? "[green]PASS[/]" : "[red bold]FAIL[/]";
        return $"{verdict}  {Markup.Escape(e.Name)}: {Markup.Escape(e.Measured)}{paper}";
    }

    private static void WriteTable(Terminal terminal, ResultTable table)
    {
        terminal.Line($"[bold]{Markup.Escape(table.Title)}[/]");
        var headers = new string[table.Columns.Count];
        for (int i = 0; i < headers.Length; i++)
            headers[i] = Markup.Escape(table.Columns[i].Header);
        var view = Terminal.NewTable(terminal.Plain, headers);
        foreach (var row in table.Rows)
        {
            var cells = new string[row.Count];
            for (int i = 0; i < cells.Length; i++)
                cells[i] = Markup.Escape(row[i].Display());
            view.AddRow(cells);
        }

        terminal.Write(view);
    }
}
