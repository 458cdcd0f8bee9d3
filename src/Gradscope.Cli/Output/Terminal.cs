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
            Console.Profile.Width = 160;
        Writer = writer;
    }

    public IAnsiConsole Console { get; }

    public TextWriter Writer { get; }

    public bool Plain { get; }

    public void Write(IRenderable renderable) => Console.Write(renderable);

    /// <summary>A line of Spectre markup; plain output gets the text without markup and without wrapping.</summary>
    public void Line(string markup)
    {
        if (Plain)
            Writer.WriteLine(Markup.Remove(markup));
        else
            Console.MarkupLine(markup);
    }

    /// <summary>A line of plain text, never wrapped when plain.</summary>
    public void Text(string text)
    {
        if (Plain)
            Writer.WriteLine(text);
        else
            Console.WriteLine(text);
    }

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
