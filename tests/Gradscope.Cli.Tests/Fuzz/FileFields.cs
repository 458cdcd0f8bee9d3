using System.Buffers.Binary;

namespace Gradscope.Cli.Tests.Fuzz;

/// <summary>A length, count or kind field of a binary format: where a lying value does the most harm.</summary>
internal sealed record FileField(string Name, int At, int Width, bool BigEndian);

/// <summary>The fields of each binary format, found in a valid seed file.</summary>
internal static class FileFields
{
    public static IReadOnlyList<FileField> Safetensors() => [new("header length", 0, 8, BigEndian: false)];

    /// <summary>The magic and the dimension sizes of an IDX file with <paramref name="dims"/> dimensions.</summary>
    public static IReadOnlyList<FileField> Idx(int dims)
    {
        var fields = new List<FileField> { new("magic", 0, 4, BigEndian: true), new("magic type byte", 2, 1, BigEndian: true) };
        for (int i = 0; i < dims; i++)
            fields.Add(new($"dimension {i}", 4 + (4 * i), 4, BigEndian: true));
        return fields;
    }

    /// <summary>An .npy array's version bytes and header length (2 bytes in version 1).</summary>
    public static IReadOnlyList<FileField> Npy() =>
        [new("npy major version", 6, 1, BigEndian: false), new("npy header length", 8, 2, BigEndian: false), new("npy header length (as v2)", 8, 4, BigEndian: false)];

    /// <summary>The gzip flags, CRC and size trailer.</summary>
    public static IReadOnlyList<FileField> Gzip(byte[] file) =>
        [new("gzip method", 2, 1, BigEndian: false), new("gzip flags", 3, 1, BigEndian: false), new("gzip crc", file.Length - 8, 4, BigEndian: false), new("gzip size", file.Length - 4, 4, BigEndian: false)];

    /// <summary>Every size, count and offset of every local header, central directory entry and the end record of a zip.</summary>
    public static IReadOnlyList<FileField> Zip(byte[] file)
    {
        var fields = new List<FileField>();
        for (int at = 0; at + 4 <= file.Length; at++)
        {
            switch (BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at)))
            {
                case 0x04034b50:
                    fields.AddRange(Fields($"local header @{at}", at, ("method", 8, 2), ("crc", 14, 4), ("compressed size", 18, 4), ("size", 22, 4), ("name length", 26, 2), ("extra length", 28, 2)));
                    break;
                case 0x02014b50:
                    fields.AddRange(Fields($"central entry @{at}", at, ("method", 10, 2), ("compressed size", 20, 4), ("size", 24, 4), ("name length", 28, 2),
                        ("extra length", 30, 2), ("comment length", 32, 2), ("local header offset", 42, 4)));
                    break;
                case 0x06054b50:
                    fields.AddRange(Fields($"end record @{at}", at, ("entries on disk", 8, 2), ("entries", 10, 2), ("directory size", 12, 4), ("directory offset", 16, 4), ("comment length", 20, 2)));
                    break;
            }
        }

        return fields;
    }

    private static IEnumerable<FileField> Fields(string record, int at, params (string Name, int Offset, int Width)[] fields)
    {
        foreach (var (name, offset, width) in fields)
            yield return new FileField($"{record} {name}", at + offset, width, BigEndian: false);
    }
}
