namespace Gradscope.Memory;

/// <summary>
/// Reads through to another stream and refuses to go past a number of bytes, so that a loader
/// stops on a file that never ends (<c>/dev/zero</c>, a pipe) or is larger than memory allows,
/// instead of reading until the process runs out of memory.
/// </summary>
internal sealed class CappedStream(Stream inner, long maxBytes, Func<long, Exception> tooLong) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // One byte more than allowed tells a file of exactly maxBytes from a longer one.
        long room = maxBytes + 1 - _read;
        int n = inner.Read(buffer[..(int)Math.Min(buffer.Length, room)]);
        _read += n;
        if (_read > maxBytes)
            throw tooLong(maxBytes);
        return n;
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
