using System.Text;

namespace Gradscope.Lab.Traces;

/// <summary>
/// The lines of a text stream with their numbers (from 1) and whether each ended with a newline,
/// which <see cref="StreamReader.ReadLine"/> does not say: a last line without one is what a
/// killed writer leaves.
/// </summary>
internal sealed class TraceLineSource(TextReader reader)
{
    private readonly char[] _buffer = new char[1 << 16];
    private readonly StringBuilder _line = new();
    private int _length;
    private int _position;

    public int Number { get; private set; }

    /// <summary>Reads the next line into <paramref name="text"/>; false at the end.</summary>
    public bool Next(out string text, out bool terminated)
    {
        _line.Clear();
        while (true)
        {
            if (_position == _length)
            {
                _length = reader.Read(_buffer, 0, _buffer.Length);
                _position = 0;
                if (_length == 0)
                {
                    text = _line.ToString();
                    terminated = false;
                    if (text.Length == 0)
                        return false;
                    Number++;
                    return true;
                }
            }

            int newline = Array.IndexOf(_buffer, '\n', _position, _length - _position);
            int end = newline < 0 ? _length : newline;
            _line.Append(_buffer, _position, end - _position);
            _position = end;
            if (newline >= 0)
            {
                _position++;
                if (_line.Length > 0 && _line[^1] == '\r')
                    _line.Length--;
                text = _line.ToString();
                terminated = true;
                Number++;
                return true;
            }
        }
    }
}
