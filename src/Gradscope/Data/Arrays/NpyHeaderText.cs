using System.Globalization;

namespace Gradscope.Data.Arrays;

/// <summary>
/// Parses the header of a <c>.npy</c> array: the Python dictionary literal NumPy writes, such as
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 2), }</c>, padded with spaces and
/// ended by a newline. Accepts exactly the subset NumPy produces: string keys, a string, a
/// boolean and a tuple of integers, either quote style, trailing commas, and Python 2's <c>3L</c>
/// integers. Like NumPy's own reader it requires exactly the three keys.
/// </summary>
internal sealed class NpyHeaderText
{
    private readonly string _text;
    private readonly string _where;
    private int _pos;

    private NpyHeaderText(string text, string where)
    {
        _text = text;
        _where = where;
    }

    /// <summary>Parses <paramref name="text"/>; <paramref name="where"/> names the file and member in messages.</summary>
    public static (string Descr, bool FortranOrder, int[] Shape) Parse(string text, string where)
    {
        var parser = new NpyHeaderText(text, where);
        return parser.ParseDictionary();
    }

    private (string Descr, bool FortranOrder, int[] Shape) ParseDictionary()
    {
        string? descr = null;
        bool? fortran = null;
        int[]? shape = null;
        Expect('{');
        while (Peek() != '}')
        {
            string key = ParseString();
            Expect(':');
            switch (key)
            {
                case "descr" when descr is null:
                    descr = ParseDescr();
                    break;
                case "fortran_order" when fortran is null:
                    fortran = ParseBool();
                    break;
                case "shape" when shape is null:
                    shape = ParseShape();
                    break;
                case "descr" or "fortran_order" or "shape":
                    throw Fail($"the key '{key}' appears twice");
                default:
                    throw Fail($"unexpected key '{key}'; a .npy header has exactly 'descr', 'fortran_order' and 'shape'");
            }

            if (Peek() != ',')
                break;
            _pos++;
        }

        Expect('}');
        if (_text.AsSpan(_pos).Trim().Length > 0)
            throw Fail($"text after the closing '}}' at character {_pos + 1}");
        string? missing = descr is null ? "descr" : fortran is null ? "fortran_order" : shape is null ? "shape" : null;
        if (missing is not null)
            throw Fail($"the key '{missing}' is missing; a .npy header has exactly 'descr', 'fortran_order' and 'shape'");
        return (descr!, fortran!.Value, shape!);
    }

    private string ParseDescr()
    {
        if (Peek() == '[')
            throw Fail("'descr' is a list of fields, a structured array; x and y must be plain arrays of numbers");
        return ParseString();
    }

    private string ParseString()
    {
        char quote = Peek();
        if (quote is not ('\'' or '"'))
            throw Fail($"expected a quoted string at character {_pos + 1}, found {Found()}");
        int end = _text.IndexOf(quote, _pos + 1);
        if (end < 0)
            throw Fail($"the string at character {_pos + 1} is not closed");
        string value = _text[(_pos + 1)..end];
        _pos = end + 1;
        return value;
    }

    private bool ParseBool()
    {
        Peek();
        foreach ((string word, bool value) in (ReadOnlySpan<(string, bool)>)[("True", true), ("False", false)])
        {
            if (_text.AsSpan(_pos).StartsWith(word, StringComparison.Ordinal))
            {
                _pos += word.Length;
                return value;
            }
        }

        throw Fail($"'fortran_order' must be True or False, found {Found()}");
    }

    private int[] ParseShape()
    {
        var dims = new List<int>();
        Expect('(');
        while (Peek() != ')')
        {
            dims.Add(ParseDimension(dims.Count));
            if (Peek() != ',')
                break;
            _pos++;
        }

        Expect(')');
        return [.. dims];
    }

    private int ParseDimension(int index)
    {
        int start = _pos;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
            _pos++;
        if (_pos == start)
            throw Fail($"dimension {index} of 'shape' is not a non-negative integer: found {Found()}");
        var digits = _text.AsSpan(start, _pos - start);
        if (_pos < _text.Length && _text[_pos] == 'L')
            _pos++;
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int dim))
            throw Fail($"dimension {index} of 'shape' is {digits}, more than the {int.MaxValue} Gradscope supports");
        return dim;
    }

    private void Expect(char c)
    {
        if (Peek() != c)
            throw Fail($"expected '{c}' at character {_pos + 1}, found {Found()}");
        _pos++;
    }

    // Skips whitespace and returns the next character, or '\0' at the end.
    private char Peek()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
            _pos++;
        return _pos < _text.Length ? _text[_pos] : '\0';
    }

    private string Found()
    {
        if (_pos >= _text.Length)
            return "the end of the header";
        var rest = _text.AsSpan(_pos);
        return "'" + Printable(rest.Length > 20 ? string.Concat(rest[..20], "...") : rest.ToString()) + "'";
    }

    private GradscopeException Fail(string problem)
    {
        string shown = _text.Length > 200 ? _text[..200] + "..." : _text.TrimEnd();
        return new GradscopeException($"{_where}: the .npy header is not one NumPy writes: {problem}. The header is: {Printable(shown)}");
    }

    // Errors are one line: a corrupt header's line breaks and control bytes are shown escaped.
    private static string Printable(string text)
    {
        var shown = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            shown.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return shown.ToString();
    }
}
