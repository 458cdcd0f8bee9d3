using Spectre.Console;
using Spectre.Console.Rendering;

namespace Gradscope.Cli.Output;

/// <summary>
/// Spectre.Console over the command's writer. When the output is not a terminal (redirected, or
/// in tests) it renders without colour or animation, so logs and pipes get plain text.
/// </summary>
internal sealed class Terminal
{
    public Terminal(TextWriter writer, bool plain)
    {
        Plain = plain;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = plain ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (plain)
            Console.Profile.Width = 120;
        Writer = writer;
    }

    public IAnsiConsole Console { get; }

    public TextWriter Writer { get; }

    public bool Plain { get; }

    public void Write(IRenderable renderable) => Console.Write(renderable);

    public void Line(string markup) => Console.MarkupLine(markup);

    public void Text(string text) => Console.WriteLine(text);

    /// <summary>A table with ASCII borders when plain, rounded ones on a terminal.</summary>
    public static Table NewTable(bool plain, params string[] columns)
    {
        var table = new Table().Border(plain ? TableBorder.Ascii : TableBorder.Rounded);
        foreach (string column in columns)
            table.AddColumn(new TableColumn(column).RightAligned());
        if (columns.Length > 0)
            table.Columns[0].LeftAligned();
        return table;
    }
}
