namespace Gradscope.Data;

/// <summary>Opens data files, gzipped or not: the format is told by the gzip magic bytes, not the file name.</summary>
internal static class DataStreams
{
    /// <summary>
    /// Opens <paramref name="path"/> for reading, decompressing when it starts with 1f 8b; a truncated
    /// or corrupt gzip file fails with a <see cref="GradscopeException"/> naming it (see <see cref="CheckedGzipStream"/>).
    /// </summary>
    public static Stream OpenMaybeGzip(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GradscopeException($"Cannot open {path}: {e.Message}", e);
        }

        Stream stream = file.CanSeek ? file : new PrefixedStream(file);
        return IsGzip(stream) ? new CheckedGzipStream(stream, path) : stream;
    }

    /// <summary>Reads as many bytes as the stream has, up to <paramref name="buffer"/>'s length; returns how many.</summary>
    public static int ReadUpTo(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new GradscopeException($"{path}: the gzip data is corrupt ({e.Message}).", e);
        }
    }

    // A pipe cannot seek back: there the magic is peeked (PrefixedStream) instead.
    private static bool IsGzip(Stream stream)
    {
        if (stream is PrefixedStream prefixed)
            return prefixed.Peek(2) is [0x1f, 0x8b];
        Span<byte> magic = stackalloc byte[2];
        int read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
