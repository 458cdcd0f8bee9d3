using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gradscope.Serialization.Safetensors;

/// <summary>
/// Writes safetensors files byte for byte as the reference implementation does for the same tensor
/// order: compact JSON with <c>__metadata__</c> first, padded with spaces to a multiple of 8 bytes
/// so the data that follows is 8-byte aligned.
/// </summary>
internal static class SafetensorsWriter
{
    private const int ChunkElements = 1 << 16;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Makes temporary names unique among concurrent writes in this process; the process id
    // separates processes.
    private static int _tempCounter;

    public static void WriteFile(string path, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        byte[] header = BuildHeader(tensors, metadata, path);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? ".";
        int serial = Interlocked.Increment(ref _tempCounter);
        string temp = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}-{serial}.tmp");
        bool moved = false;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                WriteBody(stream, header, tensors);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, fullPath, overwrite: true);
            moved = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GradscopeException($"cannot write '{path}': {ex.Message} Any earlier file at that path is unchanged.", ex);
        }
        finally
        {
            if (!moved)
                TryDelete(temp);
        }
    }

    public static void WriteStream(Stream destination, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata, string destinationName)
    {
        byte[] header = BuildHeader(tensors, metadata, destinationName);
        WriteBody(destination, header, tensors);
    }

    /// <summary>Validates everything and returns the 8-byte length followed by the padded header.</summary>
    private static byte[] BuildHeader(IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata, string destination)
    {
        Validate(tensors, metadata, destination);
        var json = new ArrayBufferWriter<byte>();
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };
        using (var writer = new Utf8JsonWriter(json, options))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
                WriteMetadata(writer, metadata);
            long offset = 0;
            foreach (var tensor in tensors)
            {
                long end = offset + ((long)tensor.Values.Length * SafetensorsDType.SizeOf(tensor.DType));
                WriteEntry(writer, tensor, offset, end);
                offset = end;
            }

            writer.WriteEndObject();
        }

        // The reference pads with spaces (valid trailing JSON whitespace) so the data starts 8-byte aligned.
        int padded = (json.WrittenCount + 7) / 8 * 8;
        var header = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)padded);
        json.WrittenSpan.CopyTo(header.AsSpan(8));
        header.AsSpan(8 + json.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WriteMetadata(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> metadata)
    {
        writer.WriteStartObject(SafetensorsHeader.MetadataKey);
        foreach (var pair in metadata)
            writer.WriteString(pair.Key, pair.Value);
        writer.WriteEndObject();
    }

    private static void WriteEntry(Utf8JsonWriter writer, SafetensorsTensor tensor, long begin, long end)
    {
        writer.WriteStartObject(tensor.Name);
        writer.WriteString("dtype", tensor.DType);
        writer.WriteStartArray("shape");
        foreach (int dim in tensor.Shape)
            writer.WriteNumberValue(dim);
        writer.WriteEndArray();
        writer.WriteStartArray("data_offsets");
        writer.WriteNumberValue(begin);
        writer.WriteNumberValue(end);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Validate(IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata, string destination)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in tensors)
        {
            if (tensor is null)
                throw new GradscopeException($"cannot write '{destination}': the tensor list holds a null entry");
            if (tensor.Name == SafetensorsHeader.MetadataKey)
                throw new GradscopeException($"cannot write '{destination}': \"{SafetensorsHeader.MetadataKey}\" is reserved for the metadata and cannot name a tensor");
            CheckUnicode(tensor.Name, "tensor name", destination);
            if (!names.Add(tensor.Name))
                throw new GradscopeException($"cannot write '{destination}': tensor '{tensor.Name}' appears twice; names must be unique");
            if (!SafetensorsDType.IsWritable(tensor.DType))
                throw new GradscopeException($"cannot write '{destination}': tensor '{tensor.Name}' is {tensor.DType}; Gradscope writes F32, F64 and I64 only");
            if (tensor.DType == SafetensorsDType.I64)
                CheckWholeNumbers(tensor, destination);

            // Shape and Values are live arrays, so a caller may have changed one since construction.
            long count = SafetensorsTensor.ElementCountOf(tensor.Shape);
            if (count != tensor.Values.Length)
            {
                string expected = count < 0 ? "an invalid element count" : $"{count} values";
                throw new GradscopeException($"cannot write '{destination}': tensor '{tensor.Name}' has shape " +
                    $"{SafetensorsTensor.FormatShape(tensor.Shape)} = {expected} but holds {tensor.Values.Length}");
            }
        }

        if (metadata is null)
            return;
        foreach (var pair in metadata)
        {
            if (pair.Value is null)
                throw new GradscopeException($"cannot write '{destination}': metadata '{pair.Key}' has a null value; metadata values are strings");
            CheckUnicode(pair.Key, "metadata key", destination);
            CheckUnicode(pair.Value, $"metadata value of '{pair.Key}'", destination);
        }
    }

    private static void CheckWholeNumbers(SafetensorsTensor tensor, string destination)
    {
        // 2^63 itself does not fit a long; every double below it that is whole does.
        const double Limit = 9223372036854775808.0;
        for (int i = 0; i < tensor.Values.Length; i++)
        {
            double v = tensor.Values[i];
            if (v != Math.Floor(v) || v < -Limit || v >= Limit)
                throw new GradscopeException($"cannot write '{destination}': tensor '{tensor.Name}' is I64 but holds {v} at index {i}, which is not a 64-bit whole number");
        }
    }

    /// <summary>
    /// The JSON encoder would silently turn a lone surrogate into U+FFFD, so a name would not read
    /// back as written; refuse it instead.
    /// </summary>
    private static void CheckUnicode(string text, string what, string destination)
    {
        try
        {
            StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new GradscopeException($"cannot write '{destination}': {what} '{text}' is not valid Unicode (it holds a lone surrogate at index {ex.Index})", ex);
        }
    }

    private static void WriteBody(Stream stream, byte[] header, IReadOnlyList<SafetensorsTensor> tensors)
    {
        stream.Write(header);
        var chunk = new byte[ChunkElements * 8];
        foreach (var tensor in tensors)
        {
            int size = SafetensorsDType.SizeOf(tensor.DType);
            for (int start = 0; start < tensor.Values.Length; start += ChunkElements)
            {
                int count = Math.Min(ChunkElements, tensor.Values.Length - start);
                var bytes = chunk.AsSpan(0, count * size);
                SafetensorsDType.Encode(tensor.DType, tensor.Values.AsSpan(start, count), bytes);
                stream.Write(bytes);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the original failure is the one worth reporting.
        }
    }
}
