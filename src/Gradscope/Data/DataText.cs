using System.Text;
using Gradscope.Memory;

namespace Gradscope.Data;

/// <summary>
/// Reads a text data file (CSV, plain or gzipped) whole, within bounds: a regular file larger than
/// memory allows is refused before reading, a stream without a length (a pipe, a device) is read
/// up to that bound, and a NUL character, which no text file has, stops the read at once.
/// </summary>
internal static class DataText
{
    /// <summary>
    /// How many bytes of memory one byte of CSV may take: 2 as text, then about a double for every
    /// 2 bytes (<c>0,</c>) with a list that grows by doubling.
    /// </summary>
    public const int CsvExpansion = 8;

    /// <summary>Reads <paramref name="path"/> within the bound <see cref="MemoryBudget"/> allows for CSV.</summary>
    /// <exception cref="MemoryLimitException">The file is larger than memory allows (or never ends).</exception>
    /// <exception cref="GradscopeException">The file cannot be opened, is corrupt gzip, or holds a NUL character.</exception>
    public static string ReadAll(string path) => ReadAll(path, MemoryBudget.MaxReadBytes(CsvExpansion));

    /// <summary>Reads <paramref name="path"/>, refusing more than <paramref name="maxBytes"/> (decompressed).</summary>
    internal static string ReadAll(string path, long maxBytes)
    {
        var info = new FileInfo(path);
        if (info.Exists && info.Length > maxBytes)
        {
            throw new MemoryLimitException(
                $"{path}: the file is {MemoryBudget.Format(info.Length)}, more than the {MemoryBudget.Format(maxBytes)} a text data file may hold (1/{CsvExpansion} of the memory) when {MemoryBudget.Limit()}.");
        }

        using var stream = new CappedStream(DataStreams.OpenMaybeGzip(path), maxBytes, max => TooLong(path, max));
        return ReadAll(stream, path);
    }

    /// <summary>Reads <paramref name="stream"/> (UTF-8, a byte order mark allowed) to its end; <paramref name="path"/> names it in messages.</summary>
    internal static string ReadAll(Stream stream, string path)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = new StringBuilder();
        var buffer = new char[1 << 16];
        int read;
        while ((read = ReadChunk(reader, buffer, path)) > 0)
        {
            int nul = buffer.AsSpan(0, read).IndexOf('\0');
            if (nul >= 0)
                throw new GradscopeException($"{path}: character {text.Length + nul + 1} is a NUL (zero) byte, which text never holds; is this a binary file or a device?");
            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    private static int ReadChunk(StreamReader reader, char[] buffer, string path)
    {
        try
        {
            return reader.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new GradscopeException($"{path}: the gzip data is corrupt ({e.Message}).", e);
        }
    }

    private static MemoryLimitException TooLong(string path, long maxBytes) =>
        new($"{path}: the data goes on past {MemoryBudget.Format(maxBytes)}, the most a text data file may hold (1/{CsvExpansion} of the memory) " +
            $"when {MemoryBudget.Limit()}; is it a device or a pipe that never ends?");
}
