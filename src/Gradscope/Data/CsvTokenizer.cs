using System.Text;

namespace Gradscope.Data;

/// <summary>
/// Splits CSV text into records (RFC 4180): comma separated, fields in double quotes may hold
/// commas, line breaks and doubled quotes; CRLF, LF or CR end a record; blank lines are skipped;
/// a leading UTF-8 byte order mark is dropped. Tracks physical line numbers for messages.
/// </summary>
internal sealed class CsvTokenizer
{
    private readonly string _text;
    private readonly string _source;
    private readonly StringBuilder _quoted = new();
    private int _pos;
    private int _line = 1;

    public CsvTokenizer(string text, string source)
    {
        _text = text;
        _source = source;
        if (text.Length > 0 && text[0] == '\uFEFF')
            _pos = 1;
    }

    /// <summary>Reads the next non-blank record into <paramref name="fields"/>; false at the end of the text.</summary>
    /// <param name="fields">Cleared, then filled with the record's fields (quotes removed, not trimmed).</param>
    /// <param name="line">The 1-based line the record starts on.</param>
    public bool ReadRecord(List<string> fields, out int line)
    {
        while (_pos < _text.Length)
        {
            fields.Clear();
            line = _line;
            bool anyQuoted = false;
            bool more = true;
            while (more)
            {
                bool quoted = _pos < _text.Length && _text[_pos] == '"';
                anyQuoted |= quoted;
                fields.Add(quoted ? ReadQuoted(line) : ReadPlain());
                more = EndField();
            }

            bool blank = !anyQuoted && fields.Count == 1 && string.IsNullOrWhiteSpace(fields[0]);
            if (!blank)
                return true;
        }

        line = _line;
        fields.Clear();
        return false;
    }

    private string ReadPlain()
    {
        int start = _pos;
        while (_pos < _text.Length && _text[_pos] is not (',' or '\r' or '\n'))
            _pos++;
        return _text[start.._pos];
    }

    private string ReadQuoted(int recordLine)
    {
        int openLine = _line;
        _quoted.Clear();
        _pos++;
        while (true)
        {
            if (_pos >= _text.Length)
                throw new GradscopeException($"{_source}: line {openLine}: a quoted field opens here but its closing quote is missing (record starting at line {recordLine}).");
            char c = _text[_pos++];
            if (c == '"')
            {
                if (_pos < _text.Length && _text[_pos] == '"')
                {
                    _quoted.Append('"');
                    _pos++;
                    continue;
                }

                break;
            }

            if (c == '\n' || (c == '\r' && (_pos >= _text.Length || _text[_pos] != '\n')))
                _line++;
            _quoted.Append(c);
        }

        while (_pos < _text.Length && _text[_pos] is ' ' or '\t')
            _pos++;
        if (_pos < _text.Length && _text[_pos] is not (',' or '\r' or '\n'))
            throw new GradscopeException($"{_source}: line {_line}: unexpected text after the closing quote of a field; a quote inside a quoted field must be doubled (\"\").");
        return _quoted.ToString();
    }

    /// <summary>Consumes the separator after a field: true after a comma (another field follows), false at a line end or the end of text.</summary>
    private bool EndField()
    {
        if (_pos >= _text.Length)
            return false;
        char c = _text[_pos++];
        if (c == ',')
            return true;
        if (c == '\r' && _pos < _text.Length && _text[_pos] == '\n')
            _pos++;
        _line++;
        return false;
    }
}
