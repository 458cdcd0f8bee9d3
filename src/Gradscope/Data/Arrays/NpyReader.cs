using System.Buffers.Binary;
using System.Text;
using Gradscope.Serialization.Safetensors;

namespace Gradscope.Data.Arrays;

/// <summary>
/// Reads one array in NumPy's <c>.npy</c> format (versions 1.0, 2.0 and 3.0): the magic
/// <c>\x93NUMPY</c>, a major and minor version byte, the header length (2 bytes little-endian in
/// version 1, 4 bytes after), the header (a Python dictionary literal, Latin-1 before version 3,
/// UTF-8 in it), then the raw elements. Every size is checked against the bytes the member really
/// holds before anything large is allocated.
/// </summary>
internal static class NpyReader
{
    // Real headers are under a few hundred bytes; NumPy itself refuses more than 10000 by default.
    private const int MaxHeaderBytes = 1 << 20;

    // A multiple of every element size.
    private const int ChunkBytes = 1 << 20;

    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the array in <paramref name="stream"/>, which holds exactly <paramref name="length"/> bytes.</summary>
    /// <param name="stream">The <c>.npy</c> bytes, from the start.</param>
    /// <param name="length">The stream's length as its container records it.</param>
    /// <param name="name">The array's name (<c>x</c> or <c>y</c>).</param>
    /// <param name="where">Names the file and member in messages, e.g. <c>data.npz: member 'x.npy'</c>.</param>
    /// <exception cref="GradscopeException">The bytes are not a .npy array this reader handles, or their sizes disagree.</exception>
    public static DataArray Read(Stream stream, long length, string name, string where)
    {
        (string descr, bool fortranOrder, int[] shape, int headerBytes) = ReadHeader(stream, length, where);
        if (!NpyDType.TryParse(descr, out var dtype))
            throw new GradscopeException($"{where}: the element type '{descr}' cannot be read; Gradscope reads {NpyDType.Readable}.");

        string shapeText = SafetensorsTensor.FormatShape(shape);
        long count = CountElements(shape, shapeText, where);
        long expected = count * dtype.Size;
        long available = length - headerBytes;
        if (available != expected)
        {
            throw new GradscopeException(
                $"{where}: the header says shape {shapeText} of {dtype.TypeName} ({count} values, {expected} bytes) but {available} bytes follow the " +
                $"{headerBytes}-byte header; the file is truncated or was altered.");
        }

        var values = new double[count];
        ReadValues(stream, dtype, values, where);
        if (fortranOrder && shape.Length > 1)
            values = FortranToC(values, shape);
        return new DataArray(name, dtype.TypeName, dtype.IsFloat, shape, values);
    }

    private static (string Descr, bool FortranOrder, int[] Shape, int HeaderBytes) ReadHeader(Stream stream, long length, string where)
    {
        Span<byte> prefix = stackalloc byte[12];
        int read = stream.ReadAtLeast(prefix[..8], 8, throwOnEndOfStream: false);
        if (read < 8)
            throw new GradscopeException($"{where} is {read} bytes long, too short for a .npy array (its header alone takes at least 10 bytes).");
        if (!prefix[..6].SequenceEqual(Magic))
        {
            throw new GradscopeException(
                $"{where} does not start with the .npy magic \\x93NUMPY but with bytes {Convert.ToHexString(prefix[..6])}; each member of an .npz file must be a .npy array as np.save writes it.");
        }

        int major = prefix[6], minor = prefix[7];
        int lengthBytes = major == 1 ? 2 : major is 2 or 3 ? 4 : 0;
        if (lengthBytes == 0 || minor != 0)
            throw new GradscopeException($"{where}: .npy format version {major}.{minor}; Gradscope reads versions 1.0, 2.0 and 3.0.");
        if (stream.ReadAtLeast(prefix.Slice(8, lengthBytes), lengthBytes, throwOnEndOfStream: false) < lengthBytes)
            throw new GradscopeException($"{where}: the .npy header is truncated: the file ends inside its length field.");

        long declared = lengthBytes == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
        int prefixBytes = 8 + lengthBytes;
        if (declared > MaxHeaderBytes || prefixBytes + declared > length)
        {
            throw new GradscopeException(
                $"{where}: the .npy header claims {declared} bytes but the member holds {length - prefixBytes} after the header length; it is truncated or corrupt.");
        }

        var header = new byte[declared];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            throw new GradscopeException($"{where}: the .npy header is truncated: the data ends before its {declared} bytes.");

        // Version 3 exists only to allow UTF-8 field names; versions 1 and 2 are Latin-1.
        string text = major == 3 ? Encoding.UTF8.GetString(header) : Encoding.Latin1.GetString(header);
        var (descr, fortranOrder, shape) = NpyHeaderText.Parse(text, where);
        return (descr, fortranOrder, shape, prefixBytes + (int)declared);
    }

    private static long CountElements(int[] shape, string shapeText, string where)
    {
        long count = 1;
        foreach (int dim in shape)
        {
            if (dim != 0 && count > Array.MaxLength / dim)
                throw new GradscopeException($"{where}: the header claims shape {shapeText}, more than the {Array.MaxLength} values Gradscope holds in one array.");
            count *= dim;
        }

        return count;
    }

    private static void ReadValues(Stream stream, NpyDType dtype, double[] values, string where)
    {
        var chunk = new byte[(int)Math.Min(ChunkBytes, Math.Max((long)values.Length * dtype.Size, 8))];
        int perChunk = chunk.Length / dtype.Size;
        for (int start = 0; start < values.Length; start += perChunk)
        {
            int count = Math.Min(perChunk, values.Length - start);
            var bytes = chunk.AsSpan(0, count * dtype.Size);
            int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (read < bytes.Length)
            {
                long done = ((long)start * dtype.Size) + read;
                throw new GradscopeException($"{where}: truncated: the data ends after {done} of the {(long)values.Length * dtype.Size} bytes its header promises.");
            }

            dtype.Decode(bytes, values.AsSpan(start, count));
        }
    }

    /// <summary>
    /// Reorders column-major values (the first index varies fastest, as NumPy writes a Fortran-ordered
    /// array) into row-major order, walking the source once and stepping the destination by C strides.
    /// </summary>
    internal static double[] FortranToC(double[] values, int[] shape)
    {
        int rank = shape.Length;
        var strides = new long[rank];
        strides[rank - 1] = 1;
        for (int d = rank - 2; d >= 0; d--)
            strides[d] = strides[d + 1] * shape[d + 1];

        var result = new double[values.Length];
        var index = new int[rank];
        long offset = 0;
        for (int k = 0; k < values.Length; k++)
        {
            result[offset] = values[k];
            for (int d = 0; d < rank; d++)
            {
                offset += strides[d];
                if (++index[d] < shape[d])
                    break;
                offset -= strides[d] * shape[d];
                index[d] = 0;
            }
        }

        return result;
    }
}
