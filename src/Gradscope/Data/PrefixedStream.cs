using Gradscope.Memory;

namespace Gradscope.Data;

/// <summary>
/// A stream that cannot seek (a pipe) whose first bytes can be looked at and then read again, as
/// a format check needs.
/// </summary>
internal sealed class PrefixedStream(Stream inner) : ReadOnlyStream
{
    private byte[] _head = [];
    private int _headPosition;

    /// <summary>The first up to <paramref name="count"/> bytes; reading starts from them afterwards. Call before any read.</summary>
    public byte[] Peek(int count)
    {
        var head = new byte[count];
        int read = inner.ReadAtLeast(head, count, throwOnEndOfStream: false);
        _head = head[..read];
        _headPosition = 0;
        return _head;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_headPosition < _head.Length)
        {
            int n = Math.Min(buffer.Length, _head.Length - _headPosition);
            _head.AsSpan(_headPosition, n).CopyTo(buffer);
            _headPosition += n;
            return n;
        }

        return inner.Read(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
