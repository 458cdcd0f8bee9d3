using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace Gradscope.Serialization.Safetensors;

/// <summary>
/// A safetensors file (the format PyTorch and Hugging Face use for weights): named tensors and
/// string-to-string metadata. Reading validates the whole file against the specification before
/// returning; writing is atomic.
/// </summary>
/// <remarks>
/// Layout: an 8-byte little-endian length N, N bytes of UTF-8 JSON mapping each tensor name to
/// <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> plus an optional <c>"__metadata__"</c>
/// object of strings, then the little-endian, row-major data, which the tensors cover exactly.
/// </remarks>
internal sealed class SafetensorsFile
{
    private readonly Dictionary<string, SafetensorsTensor> _byName;

    internal SafetensorsFile(SafetensorsTensor[] tensors, OrderedDictionary<string, string> metadata, string sourceName)
    {
        _byName = new Dictionary<string, SafetensorsTensor>(tensors.Length, StringComparer.Ordinal);
        foreach (var tensor in tensors)
            _byName.Add(tensor.Name, tensor);
        Tensors = Array.AsReadOnly(tensors);
        Metadata = new ReadOnlyDictionary<string, string>(metadata);
        SourceName = sourceName;
    }

    /// <summary>The file name (or other source name) the file was read from, as used in messages.</summary>
    public string SourceName { get; }

    /// <summary>The header's <c>__metadata__</c> entries in file order; empty when there are none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensors in the order of their data in the file.</summary>
    public IReadOnlyList<SafetensorsTensor> Tensors { get; }

    /// <summary>The tensor with the given name.</summary>
    /// <exception cref="GradscopeException">The file has no tensor of that name.</exception>
    public SafetensorsTensor this[string name] =>
        TryGet(name, out var tensor) ? tensor : throw new GradscopeException($"{SourceName} has no tensor '{name}'; it has {DescribeNames()}");

    /// <summary>Looks up a tensor by name (ordinal, case-sensitive).</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out SafetensorsTensor? tensor) => _byName.TryGetValue(name, out tensor);

    /// <summary>Reads and validates the safetensors file at <paramref name="path"/>.</summary>
    /// <exception cref="GradscopeException">The file cannot be opened or read, or breaks the format; the message names the file and the problem.</exception>
    public static SafetensorsFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GradscopeException($"{path}: cannot open: {ex.Message}", ex);
        }

        using (stream)
            return SafetensorsReader.Read(stream, path);
    }

    /// <summary>
    /// Reads a safetensors file from the current position of <paramref name="stream"/> to its end.
    /// A stream that cannot seek is buffered in memory first.
    /// </summary>
    /// <param name="stream">The file's bytes.</param>
    /// <param name="sourceName">Names the file in error messages.</param>
    /// <exception cref="GradscopeException">The bytes cannot be read or break the format.</exception>
    public static SafetensorsFile Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        return SafetensorsReader.Read(stream, sourceName);
    }

    /// <summary>Reads a safetensors file held in memory; the span is the whole file.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="sourceName">Names the file in error messages.</param>
    /// <exception cref="GradscopeException">The bytes break the format.</exception>
    public static SafetensorsFile Read(ReadOnlySpan<byte> bytes, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        return SafetensorsReader.Read(bytes, sourceName);
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> atomically: everything is checked
    /// first, the bytes go to a temporary file in the same folder, which then replaces
    /// <paramref name="path"/>. On any failure an existing file at <paramref name="path"/> is left as
    /// it was and no temporary file remains.
    /// </summary>
    /// <param name="path">Destination file; replaced if it exists.</param>
    /// <param name="tensors">Tensors in the order their data is written, each F32, F64 or I64 (its <see cref="SafetensorsTensor.DType"/>; I64 values must be whole numbers).</param>
    /// <param name="metadata">Written as <c>__metadata__</c>, in its enumeration order; null or empty writes none.</param>
    /// <exception cref="GradscopeException">A tensor or metadata entry is invalid, or the file cannot be written.</exception>
    public static void Write(string path, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        SafetensorsWriter.WriteFile(path, tensors, metadata);
    }

    /// <summary>
    /// Writes a safetensors file to <paramref name="destination"/>. Every tensor and metadata entry is
    /// checked before the first byte is written; the stream itself gives no atomicity.
    /// </summary>
    /// <param name="destination">Receives the file's bytes.</param>
    /// <param name="tensors">Tensors in the order their data is written, each F32, F64 or I64.</param>
    /// <param name="metadata">Written as <c>__metadata__</c>; null or empty writes none.</param>
    /// <param name="destinationName">Names the destination in error messages.</param>
    /// <exception cref="GradscopeException">A tensor or metadata entry is invalid.</exception>
    public static void Write(Stream destination, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata, string destinationName)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(destinationName);
        SafetensorsWriter.WriteStream(destination, tensors, metadata, destinationName);
    }

    private string DescribeNames()
    {
        // Big models hold hundreds of tensors; a handful is enough to spot a naming mismatch.
        const int Shown = 10;
        if (Tensors.Count == 0)
            return "no tensors";
        var names = new List<string>(Math.Min(Tensors.Count, Shown));
        for (int i = 0; i < Tensors.Count && i < Shown; i++)
            names.Add($"'{Tensors[i].Name}'");
        string more = Tensors.Count > Shown ? $" and {Tensors.Count - Shown} more" : "";
        return string.Join(", ", names) + more;
    }
}
