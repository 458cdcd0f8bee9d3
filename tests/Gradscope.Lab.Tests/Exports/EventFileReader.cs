using System.Buffers.Binary;
using System.Text;

namespace Gradscope.Lab.Tests.Exports;

/// <summary>
/// An event-file reader written apart from the exporter, to check it: TFRecord framing with both
/// CRCs verified by a table-driven CRC-32C, and the Event / Summary / HistogramProto fields
/// decoded from the protobuf wire format by hand.
/// </summary>
internal static class EventFileReader
{
    private static readonly uint[] Table = BuildTable();

    public sealed record Value(string Tag, float? Simple, Histogram? Histo);

    public sealed record Histogram(double Min, double Max, double Num, double[] Limits, double[] Buckets);

    public sealed record Event(double WallTime, long Step, string? FileVersion, List<Value> Values);

    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFF;
    }

    public static List<Event> Read(byte[] file)
    {
        var events = new List<Event>();
        int at = 0;
        while (at < file.Length)
        {
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(at));
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8));
            if (lengthCrc != Masked(Crc32C(file.AsSpan(at, 8))))
                throw new InvalidDataException($"length CRC mismatch at byte {at}");
            var data = file.AsSpan(at + 12, (int)length);
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 12 + (int)length));
            if (dataCrc != Masked(Crc32C(data)))
                throw new InvalidDataException($"data CRC mismatch at byte {at}");
            events.Add(ReadEvent(data.ToArray()));
            at += 12 + (int)length + 4;
        }

        return events;
    }

    private static uint Masked(uint crc) => unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8);

    private static Event ReadEvent(byte[] bytes)
    {
        double wall = 0;
        long step = 0;
        string? version = null;
        var values = new List<Value>();
        foreach (var (field, wire, data, number) in Fields(bytes))
        {
            switch (field)
            {
                case 1 when wire == 1: wall = BitConverter.Int64BitsToDouble((long)number); break;
                case 2 when wire == 0: step = (long)number; break;
                case 3 when wire == 2: version = Encoding.UTF8.GetString(data); break;
                case 5 when wire == 2:
                    foreach (var (f, w, value, _) in Fields(data))
                    {
                        if (f == 1 && w == 2)
                            values.Add(ReadValue(value));
                    }

                    break;
                default: throw new InvalidDataException($"unexpected Event field {field} (wire type {wire})");
            }
        }

        return new Event(wall, step, version, values);
    }

    private static Value ReadValue(byte[] bytes)
    {
        string tag = "";
        float? simple = null;
        Histogram? histo = null;
        foreach (var (field, wire, data, number) in Fields(bytes))
        {
            if (field == 1 && wire == 2)
                tag = Encoding.UTF8.GetString(data);
            else if (field == 2 && wire == 5)
                simple = BitConverter.Int32BitsToSingle((int)number);
            else if (field == 5 && wire == 2)
                histo = ReadHistogram(data);
            else
                throw new InvalidDataException($"unexpected Summary.Value field {field}");
        }

        return new Value(tag, simple, histo);
    }

    private static Histogram ReadHistogram(byte[] bytes)
    {
        var d = new double[6];
        double[] limits = [], buckets = [];
        foreach (var (field, wire, data, number) in Fields(bytes))
        {
            if (field is >= 1 and <= 5 && wire == 1)
                d[field] = BitConverter.Int64BitsToDouble((long)number);
            else if (field == 6 && wire == 2)
                limits = Doubles(data);
            else if (field == 7 && wire == 2)
                buckets = Doubles(data);
            else
                throw new InvalidDataException($"unexpected HistogramProto field {field}");
        }

        return new Histogram(d[1], d[2], d[3], limits, buckets);
    }

    private static double[] Doubles(byte[] packed)
    {
        var values = new double[packed.Length / 8];
        for (int i = 0; i < values.Length; i++)
            values[i] = BitConverter.ToDouble(packed, i * 8);
        return values;
    }

    // (field number, wire type, bytes of a length-delimited field, the value of the others)
    private static IEnumerable<(int Field, int Wire, byte[] Data, ulong Number)> Fields(byte[] bytes)
    {
        int at = 0;
        while (at < bytes.Length)
        {
            ulong key = Varint(bytes, ref at);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: yield return (field, wire, [], Varint(bytes, ref at)); break;
                case 1: yield return (field, wire, [], BitConverter.ToUInt64(bytes, at)); at += 8; break;
                case 5: yield return (field, wire, [], BitConverter.ToUInt32(bytes, at)); at += 4; break;
                case 2:
                    int length = (int)Varint(bytes, ref at);
                    yield return (field, wire, bytes[at..(at + length)], 0);
                    at += length;
                    break;
                default: throw new InvalidDataException($"wire type {wire}");
            }
        }
    }

    private static ulong Varint(byte[] bytes, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0x82F63B78 ^ (c >> 1) : c >> 1;
            table[i] = c;
        }

        return table;
    }
}
