using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Gradscope.Tests.Data;

/// <summary>
/// Builds <c>.npy</c> arrays and <c>.npz</c> archives by hand, byte for byte as NumPy 1.24 writes
/// them (the golden files check that), so tests can make valid files and then break them.
/// </summary>
internal static class NpzTestWriter
{
    /// <summary>The .npy header NumPy writes: magic, version 1.0, length, the dict padded to 64 bytes.</summary>
    public static byte[] NpyHeader(string descr, int[] shape, bool fortranOrder = false)
    {
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        string dict = $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shapeText}, }}";

        // NumPy leaves room to grow the first axis in place (21 digits), then pads to 64 bytes.
        if (shape.Length > 0)
            dict += new string(' ', 21 - (fortranOrder ? shape[^1] : shape[0]).ToString(CultureInfo.InvariantCulture).Length);
        int total = 10 + dict.Length + 1;
        dict += new string(' ', (64 - (total % 64)) % 64) + "\n";
        return NpyPrefix(1, Encoding.Latin1.GetBytes(dict));
    }

    /// <summary>Magic, version <paramref name="major"/>.0, the header length (2 or 4 bytes) and the header.</summary>
    public static byte[] NpyPrefix(int major, byte[] header)
    {
        int lengthBytes = major == 1 ? 2 : 4;
        var bytes = new byte[8 + lengthBytes + header.Length];
        bytes[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY").CopyTo(bytes, 1);
        bytes[6] = (byte)major;
        if (lengthBytes == 2)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)header.Length);
        header.CopyTo(bytes, 8 + lengthBytes);
        return bytes;
    }

    public static byte[] Npy(string descr, int[] shape, byte[] data, bool fortranOrder = false) => [.. NpyHeader(descr, shape, fortranOrder), .. data];

    public static byte[] Float32(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    public static byte[] Float64(params double[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }

    public static byte[] Int64(params long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }

    public static byte[] Int32(params int[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    /// <summary>A zip of the members, stored (as np.savez writes) or deflated (as np.savez_compressed does).</summary>
    public static byte[] Zip(bool deflate, params (string Name, byte[] Bytes)[] members)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in members)
            {
                var entry = zip.CreateEntry(name, deflate ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using var stream = entry.Open();
                stream.Write(bytes);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>An .npz of x float32 <c>[rows, features.Length / rows]</c> and y int64 <c>[rows]</c>.</summary>
    public static byte[] Table(float[] features, long[] labels, bool deflate = false)
    {
        int rows = labels.Length;
        return Zip(
            deflate,
            ("x.npy", Npy("<f4", [rows, features.Length / rows], Float32(features))),
            ("y.npy", Npy("<i8", [rows], Int64(labels))));
    }

    /// <summary>Writes a table .npz of a data set's features (as float32) and labels (as int64) to <paramref name="path"/>.</summary>
    public static string WriteTable(string path, Gradscope.Data.Dataset data)
    {
        var x = new float[data.Features.Length];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)data.Features[i];
        var y = new long[data.Count];
        for (int i = 0; i < y.Length; i++)
            y[i] = data.Labels[i];
        File.WriteAllBytes(path, Table(x, y));
        return path;
    }
}
