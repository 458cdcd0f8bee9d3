namespace Gradscope.Memory;

/// <summary>
/// Reads through to another stream and refuses to go past a number of bytes, so that a loader
/// stops on a file that never ends (<c>/dev/zero</c>, a pipe) or is larger than memory allows,
/// instead of reading until the process runs out of memory.
/// </summary>
internal sealed class CappedStream(Stream inner, long maxBytes, Func<long, Exception> tooLong) : ReadOnlyStream
{
    private long _read;

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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
