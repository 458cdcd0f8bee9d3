using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Gradscope.Lab.Exports.TensorBoard;

/// <summary>
/// The few protocol-buffer encodings an event file needs, written by hand instead of generated
/// code (see https://protobuf.dev/programming-guides/encoding/): a field key is
/// <c>(number &lt;&lt; 3) | wire type</c> as a varint; wire type 0 is a varint (int64), 1 eight
/// little-endian bytes (double), 2 a varint length then the bytes (string, message, packed
/// repeated), 5 four little-endian bytes (float).
/// </summary>
internal sealed class ProtoWriter
{
    private const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    private readonly ArrayBufferWriter<byte> _bytes = new(256);

    public int Length => _bytes.WrittenCount;

    public void Int64(int field, long value)
    {
        Key(field, Varint);
        WriteVarint((ulong)value);
    }

    public void Double(int field, double value)
    {
        Key(field, Fixed64);
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(buffer, value);
        _bytes.Write(buffer);
    }

    public void Float(int field, float value)
    {
        Key(field, Fixed32);
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
        _bytes.Write(buffer);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    /// <summary>A packed repeated double: one length-delimited field holding the eight-byte values.</summary>
    public void PackedDoubles(int field, IReadOnlyList<double> values)
    {
        var packed = new byte[values.Count * 8];
        for (int i = 0; i < values.Count; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(packed.AsSpan(i * 8), values[i]);
        Bytes(field, packed);
    }

    public byte[] ToArray() => _bytes.WrittenSpan.ToArray();

    private void Bytes(int field, ReadOnlySpan<byte> bytes)
    {
        Key(field, LengthDelimited);
        WriteVarint((ulong)bytes.Length);
        _bytes.Write(bytes);
    }

    private void Key(int field, int wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        WriteByte((byte)value);
    }

    private void WriteByte(byte value)
    {
        _bytes.GetSpan(1)[0] = value;
        _bytes.Advance(1);
    }
}
