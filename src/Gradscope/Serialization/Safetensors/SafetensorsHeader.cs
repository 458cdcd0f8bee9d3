using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Gradscope.Serialization.Safetensors;

/// <summary>One tensor as the header describes it; offsets are relative to the data after the header.</summary>
internal sealed record SafetensorsEntry(string Name, string DType, int[] Shape, long ElementCount, long Begin, long End, int HeaderIndex);

/// <summary>A parsed, validated header: tensors sorted by data offset, and the free-form metadata.</summary>
internal sealed record SafetensorsHeader(IReadOnlyList<SafetensorsEntry> Entries, OrderedDictionary<string, string> Metadata)
{
    /// <summary>The reference implementation refuses headers above 100 MB; so do we.</summary>
    public const int MaxBytes = 100_000_000;

    /// <summary>The reserved key holding string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Checks the 8-byte header length against the bytes after it and returns it.</summary>
    public static int CheckLength(ulong declared, long remaining, string source)
    {
        if (declared > MaxBytes)
            throw Fail(source, $"the header says it is {declared} bytes long, more than the {MaxBytes} bytes a safetensors header may have; this is not a safetensors file or it is corrupt");
        if ((long)declared > remaining)
            throw Fail(source, $"the header says {declared} bytes but only {remaining} remain after the 8-byte length; the file is truncated or not a safetensors file");
        return (int)declared;
    }

    /// <summary>Parses the header JSON and validates every tensor against <paramref name="dataLength"/>, the bytes after the header.</summary>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> json, long dataLength, string source)
    {
        if (json.IsEmpty)
            throw Fail(source, "the header is empty (its length is 0); a safetensors header is a JSON object");
        if (json[0] != (byte)'{')
            throw Fail(source, $"the header must start with '{{' but starts with byte 0x{json[0]:X2}; this is not a safetensors file or it is corrupt");
        if (!Utf8.IsValid(json))
            throw Fail(source, "the header is not valid UTF-8 text");
        var entries = new List<SafetensorsEntry>();
        var metadata = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        try
        {
            ReadTopLevel(json, entries, metadata, source);
        }
        catch (JsonException ex)
        {
            throw Fail(source, $"the header is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {WithoutPosition(ex.Message)}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // GetString throws this for escapes that decode to invalid UTF-16, such as a lone "\ud800".
            throw Fail(source, $"the header holds a string that is not valid Unicode: {ex.Message}", ex);
        }

        return new SafetensorsHeader(SafetensorsLayout.Validate(entries, dataLength, source), metadata);
    }

    /// <summary>A user-facing error about <paramref name="source"/>.</summary>
    public static GradscopeException Fail(string source, string message, Exception? inner = null) =>
        inner is null ? new GradscopeException($"{source}: {message}") : new GradscopeException($"{source}: {message}", inner);

    private static void ReadTopLevel(ReadOnlySpan<byte> json, List<SafetensorsEntry> entries, OrderedDictionary<string, string> metadata, string source)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        reader.Read();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            if (!keys.Add(key))
                throw Fail(source, key == MetadataKey ? $"\"{MetadataKey}\" appears twice in the header" : $"tensor '{key}' appears twice in the header; names must be unique");
            reader.Read();
            if (key == MetadataKey)
                ReadMetadata(ref reader, metadata, source);
            else
                entries.Add(ReadEntry(ref reader, key, entries.Count, source));
        }

        // Only whitespace, such as the space padding, may follow the object; the reader throws on anything else.
        if (reader.Read())
            throw Fail(source, "the header holds more than one JSON value");
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, OrderedDictionary<string, string> metadata, string source)
    {
        // The reference reader treats null as "no metadata".
        if (reader.TokenType == JsonTokenType.Null)
            return;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Fail(source, $"\"{MetadataKey}\" must be an object of string values but is {Describe(ref reader)}");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
                throw Fail(source, $"\"{MetadataKey}\" value of '{key}' must be a string but is {Describe(ref reader)}");
            if (!metadata.TryAdd(key, reader.GetString()!))
                throw Fail(source, $"\"{MetadataKey}\" key '{key}' appears twice");
        }
    }

    private static SafetensorsEntry ReadEntry(ref Utf8JsonReader reader, string name, int index, string source)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Fail(source, $"tensor '{name}' must be an object with \"dtype\", \"shape\" and \"data_offsets\" but is {Describe(ref reader)}");
        string? dtype = null;
        List<long>? shape = null;
        List<long>? offsets = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string field = reader.GetString()!;
            reader.Read();
            switch (field)
            {
                case "dtype":
                    EnsureFirst(dtype is null, name, field, source);
                    dtype = ReadDType(ref reader, name, source);
                    break;
                case "shape":
                    EnsureFirst(shape is null, name, field, source);
                    shape = ReadNonNegativeIntegers(ref reader, name, field, source);
                    break;
                case "data_offsets":
                    EnsureFirst(offsets is null, name, field, source);
                    offsets = ReadNonNegativeIntegers(ref reader, name, field, source);
                    break;
                default:
                    // The reference reader ignores fields it does not know; so do we.
                    reader.Skip();
                    break;
            }
        }

        if (dtype is null || shape is null || offsets is null)
            throw Fail(source, $"tensor '{name}' has no \"{(dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets")}\"; each tensor needs \"dtype\", \"shape\" and \"data_offsets\"");
        if (offsets.Count != 2)
            throw Fail(source, $"tensor '{name}': \"data_offsets\" must be [begin, end] but has {offsets.Count} elements");
        int[] dims = ToDimensions(shape, name, source);
        return new SafetensorsEntry(name, dtype, dims, CountElements(dims, name, source), offsets[0], offsets[1], index);
    }

    private static void EnsureFirst(bool first, string name, string field, string source)
    {
        if (!first)
            throw Fail(source, $"tensor '{name}' has \"{field}\" twice");
    }

    private static string ReadDType(ref Utf8JsonReader reader, string name, string source)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw Fail(source, $"tensor '{name}': \"dtype\" must be a string such as \"F32\" but is {Describe(ref reader)}");
        string dtype = reader.GetString()!;
        if (SafetensorsDType.SizeOf(dtype) == 0)
            throw Fail(source, $"tensor '{name}' has unsupported dtype '{dtype}'; Gradscope reads {SafetensorsDType.Readable}");
        return dtype;
    }

    private static List<long> ReadNonNegativeIntegers(ref Utf8JsonReader reader, string name, string field, string source)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Fail(source, $"tensor '{name}': \"{field}\" must be an array of non-negative integers but is {Describe(ref reader)}");
        var values = new List<long>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value) || value < 0)
                throw Fail(source, $"tensor '{name}': \"{field}\" must hold non-negative integers but element {values.Count} is {Describe(ref reader)}");
            values.Add(value);
        }

        return values;
    }

    private static int[] ToDimensions(List<long> shape, string name, string source)
    {
        var dims = new int[shape.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            if (shape[i] > int.MaxValue)
                throw Fail(source, $"tensor '{name}': dimension {i} is {shape[i]}, more than the {int.MaxValue} Gradscope supports");
            dims[i] = (int)shape[i];
        }

        return dims;
    }

    private static long CountElements(int[] dims, string name, string source)
    {
        long count = 1;
        foreach (int dim in dims)
        {
            if (dim != 0 && count > long.MaxValue / dim)
                throw Fail(source, $"tensor '{name}' has shape {SafetensorsTensor.FormatShape(dims)}, whose element count overflows 64 bits");
            count *= dim;
        }

        return count;
    }

    /// <summary>Names the current token for a message: a number or string by its text, anything else by its kind.</summary>
    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.String => $"the string \"{reader.GetString()}\"",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => reader.TokenType.ToString(),
    };

    /// <summary>System.Text.Json appends a zero-based position; we report a one-based one instead.</summary>
    private static string WithoutPosition(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
