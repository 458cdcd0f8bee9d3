using System.IO.Compression;
using Gradscope.Memory;

namespace Gradscope.Data;

/// <summary>
/// Decompresses a gzip file and proves that it was complete. zlib checks each member's CRC-32 and
/// length when the member ends, but <see cref="GZipStream"/> reports a file cut inside a member
/// as a clean end of data: cut at a flush point, it even decodes whole rows up to the cut. So one
/// extra member holding a marker is appended behind the file's last byte. GZipStream decodes it
/// only when the file's data ended at a member boundary, and then the marker is the last thing
/// decompressed; this stream hides it from the reader and fails when it is missing. Corrupt data
/// becomes a <see cref="GradscopeException"/> naming the file.
/// </summary>
internal sealed class CheckedGzipStream : ReadOnlyStream
{
    private static readonly byte[] Marker = "\0gradscope: end of gzip data\0"u8.ToArray();
    private static readonly byte[] MarkerMember = Compress(Marker);

    private readonly string _path;
    private readonly MarkedSource _source;
    private readonly GZipStream _gzip;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _ended;

    public CheckedGzipStream(Stream compressed, string path)
    {
        _path = path;
        _source = new MarkedSource(compressed);
        _gzip = new GZipStream(_source, CompressionMode.Decompress);
    }

    /// <summary>Decompressed bytes, always holding back the last marker-length ones until the end proves them the marker.</summary>
    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        while (!_ended && _end - _start <= Marker.Length)
            Fill();
        int count = Math.Min(buffer.Length, _end - _start - Marker.Length);
        if (count <= 0)
            return 0;
        _buffer.AsSpan(_start, count).CopyTo(buffer);
        _start += count;
        return count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _gzip.Dispose();
        base.Dispose(disposing);
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        int read = Decompress(_buffer.AsSpan(_end));
        _end += read;
        if (read > 0)
            return;
        _ended = true;
        bool marked = _end - _start >= Marker.Length && _buffer.AsSpan(_end - Marker.Length, Marker.Length).SequenceEqual(Marker);
        if (!marked)
            throw _source.ReachedEnd ? Truncated(null) : new GradscopeException($"{_path}: the file goes on after the end of its gzip data; it is damaged, or not one gzip file.");
    }

    private int Decompress(Span<byte> destination)
    {
        try
        {
            return _gzip.Read(destination);
        }
        catch (InvalidDataException e)
        {
            // Past the file's end zlib is reading the marker member as the rest of a cut stream.
            throw _source.ReachedEnd ? Truncated(e) : new GradscopeException($"{_path}: the gzip data is corrupt ({e.Message}).", e);
        }
    }

    private GradscopeException Truncated(Exception? inner)
    {
        string message = $"{_path}: the gzip data is truncated: the file ends inside its compressed data, so everything after the cut is missing. Copy or download the file again.";
        return inner is null ? new(message) : new(message, inner);
    }

    private static byte[] Compress(byte[] data)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return memory.ToArray();
    }

    /// <summary>The compressed file, then the marker member once the file has no more bytes.</summary>
    private sealed class MarkedSource(Stream inner) : ReadOnlyStream
    {
        private int _markerSent;

        /// <summary>True once the file's own bytes are all read.</summary>
        public bool ReachedEnd { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            if (!ReachedEnd)
            {
                int read = inner.Read(buffer);
                if (read > 0 || buffer.IsEmpty)
                    return read;
                ReachedEnd = true;
            }

            int count = Math.Min(buffer.Length, MarkerMember.Length - _markerSent);
            MarkerMember.AsSpan(_markerSent, count).CopyTo(buffer);
            _markerSent += count;
            return count;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
