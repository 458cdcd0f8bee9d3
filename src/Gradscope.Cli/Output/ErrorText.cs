using System.Text;

namespace Gradscope.Cli.Output;

/// <summary>
/// An error message as one printable line. Messages quote what they refuse (a JSON reader quotes
/// the bad literal, a CSV error the cell), and a corrupt file puts line breaks or terminal control
/// sequences there; shown escaped, they can neither split the error nor drive the terminal.
/// </summary>
internal static class ErrorText
{
    public static string OneLine(string message)
    {
        if (!HasControl(message))
            return message;
        var line = new StringBuilder(message.Length + 16);
        foreach (char c in message)
        {
            line.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return line.ToString();
    }

    private static bool HasControl(string text)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c))
                return true;
        }

        return false;
    }
}
