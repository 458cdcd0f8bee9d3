using System.Buffers.Binary;
using System.Numerics;

namespace Gradscope.Lab.Exports.TensorBoard;

/// <summary>
/// TFRecord framing, as TensorFlow's <c>record_writer.cc</c> writes it: per record the length
/// (uint64, little-endian), the masked CRC-32C of those eight bytes (uint32), the data, the masked
/// CRC-32C of the data. CRC-32C is the Castagnoli CRC (reflected polynomial 0x82F63B78, initial
/// value and final XOR 0xFFFFFFFF); masking rotates it right by 15 bits and adds 0xA282EAD8.
/// </summary>
internal static class TfRecord
{
    private const uint MaskDelta = 0xA282EAD8;

    public static void Write(Stream output, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc(header[..8]));
        output.Write(header);
        output.Write(data);
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc(data));
        output.Write(footer);
    }

    public static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + MaskDelta;
    }

    /// <summary>CRC-32C of <paramref name="data"/>; BitOperations uses the CPU's CRC32 instruction where there is one.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        for (; i < data.Length; i++)
            crc = BitOperations.Crc32C(crc, data[i]);
        return ~crc;
    }
}
