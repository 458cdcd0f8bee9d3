using System.Buffers.Binary;
using Gradscope.Memory;

namespace Gradscope.Serialization.Safetensors;

/// <summary>
/// Reads a whole safetensors file: the length prefix, the header (validated in full before any data
/// is decoded), then each tensor's bytes in data order.
/// </summary>
internal static class SafetensorsReader
{
    /// <summary>Bytes decoded per stream read; a multiple of every element size.</summary>
    internal const int ChunkBytes = 1 << 20;

    private const int PrefixBytes = 8;

    // A buffered byte of a pipe: the buffer (which may grow by doubling), then up to 2 as doubles.
    private const int UnseekableExpansion = 4;

    public static SafetensorsFile Read(ReadOnlySpan<byte> file, string source)
    {
        CheckPrefixPresent(file.Length, source);
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(file);
        int headerLength = SafetensorsHeader.CheckLength(declared, file.Length - PrefixBytes, source);
        var header = SafetensorsHeader.Parse(file.Slice(PrefixBytes, headerLength), file.Length - PrefixBytes - headerLength, source);
        EnsureFits(header, source);
        var data = file[(PrefixBytes + headerLength)..];
        var tensors = new SafetensorsTensor[header.Entries.Count];
        for (int i = 0; i < tensors.Length; i++)
        {
            var entry = header.Entries[i];
            var values = Allocate(entry, source);
            SafetensorsDType.Decode(entry.DType, data.Slice((int)entry.Begin, (int)(entry.End - entry.Begin)), values);
            tensors[i] = new SafetensorsTensor(entry.Name, entry.DType, entry.Shape, values);
        }

        return new SafetensorsFile(tensors, header.Metadata, source);
    }

    public static SafetensorsFile Read(Stream stream, string source)
    {
        try
        {
            return stream.CanSeek ? ReadSeekable(stream, source) : ReadUnseekable(stream, source);
        }
        catch (EndOfStreamException ex)
        {
            throw SafetensorsHeader.Fail(source, "the file ended before the bytes its header promises; was it changed while being read?", ex);
        }
        catch (IOException ex)
        {
            throw SafetensorsHeader.Fail(source, $"cannot read: {ex.Message}", ex);
        }
    }

    private static SafetensorsFile ReadSeekable(Stream stream, string source)
    {
        long remaining = stream.Length - stream.Position;
        CheckPrefixPresent(remaining, source);
        Span<byte> prefix = stackalloc byte[PrefixBytes];
        stream.ReadExactly(prefix);
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        int headerLength = SafetensorsHeader.CheckLength(declared, remaining - PrefixBytes, source);
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        var header = SafetensorsHeader.Parse(json, remaining - PrefixBytes - headerLength, source);
        EnsureFits(header, source);

        // Entries are contiguous and sorted, so the data is consumed front to back with no seeking.
        var chunk = new byte[(int)Math.Clamp(remaining - PrefixBytes - headerLength, PrefixBytes, ChunkBytes)];
        var tensors = new SafetensorsTensor[header.Entries.Count];
        for (int i = 0; i < tensors.Length; i++)
        {
            var entry = header.Entries[i];
            var values = Allocate(entry, source);
            DecodeFromStream(stream, entry.DType, values, chunk);
            tensors[i] = new SafetensorsTensor(entry.Name, entry.DType, entry.Shape, values);
        }

        return new SafetensorsFile(tensors, header.Metadata, source);
    }

    private static SafetensorsFile ReadUnseekable(Stream stream, string source)
    {
        // Without a length the header cannot be checked against the file, so buffer it all first,
        // up to what memory allows: a pipe or device may never end.
        using var copy = new MemoryStream();
        using (var capped = new CappedStream(stream, MemoryBudget.MaxReadBytes(UnseekableExpansion), max => TooLong(source, max)))
            capped.CopyTo(copy);
        return Read(copy.GetBuffer().AsSpan(0, (int)copy.Length), source);
    }

    // Every value is held as a double: float32 files double in memory, bf16 and f16 ones quadruple.
    private static void EnsureFits(SafetensorsHeader header, string source)
    {
        long values = 0;
        foreach (var entry in header.Entries)
            values = ByteCounts.Sum(values, entry.ElementCount);
        MemoryBudget.Ensure(ByteCounts.Product(values, sizeof(double)), $"{source}: reading its {values} values");
    }

    private static MemoryLimitException TooLong(string source, long maxBytes) =>
        new($"{source}: the stream goes on past {MemoryBudget.Format(maxBytes)}, the most a model read from a pipe may hold (1/{UnseekableExpansion} of the memory) " +
            $"when {MemoryBudget.Limit()}; is it a device or a pipe that never ends?");

    private static void DecodeFromStream(Stream stream, string dtype, double[] values, byte[] chunk)
    {
        int size = SafetensorsDType.SizeOf(dtype);
        int perChunk = chunk.Length / size;
        for (int start = 0; start < values.Length; start += perChunk)
        {
            int count = Math.Min(perChunk, values.Length - start);
            var bytes = chunk.AsSpan(0, count * size);
            stream.ReadExactly(bytes);
            SafetensorsDType.Decode(dtype, bytes, values.AsSpan(start, count));
        }
    }

    private static void CheckPrefixPresent(long length, string source)
    {
        if (length < PrefixBytes)
        {
            throw SafetensorsHeader.Fail(source, $"the file is {length} bytes long, shorter than the 8-byte header length " +
                "every safetensors file starts with");
        }
    }

    private static double[] Allocate(SafetensorsEntry entry, string source)
    {
        if (entry.ElementCount > Array.MaxLength)
            throw SafetensorsHeader.Fail(source, $"tensor '{entry.Name}' has {entry.ElementCount} values; Gradscope holds at most {Array.MaxLength} in one tensor");
        return new double[entry.ElementCount];
    }
}
