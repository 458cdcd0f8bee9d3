namespace Gradscope.Data;

/// <summary>
/// A stream that cannot seek (a pipe) whose first bytes can be looked at and then read again, as
/// a format check needs.
/// </summary>
internal sealed class PrefixedStream(Stream inner) : Stream
{
    private byte[] _head = [];
    private int _headPosition;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The first up to <paramref name="count"/> bytes; reading starts from them afterwards. Call before any read.</summary>
    public byte[] Peek(int count)
    {
        var head = new byte[count];
        int read = inner.ReadAtLeast(head, count, throwOnEndOfStream: false);
        _head = head[..read];
        _headPosition = 0;
        return _head;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

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

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
