using System.Buffers.Binary;

namespace Gradscope.Serialization.Safetensors;

/// <summary>
/// The element types Gradscope reads and writes, their sizes, and conversion between their
/// little-endian bytes and <see cref="double"/>. Every supported type converts to double exactly,
/// except I64 and U64 beyond 2^53, which round to the nearest double.
/// </summary>
internal static class SafetensorsDType
{
    public const string F32 = "F32";
    public const string F64 = "F64";
    public const string F16 = "F16";
    public const string BF16 = "BF16";
    public const string I32 = "I32";
    public const string I64 = "I64";
    public const string I8 = "I8";
    public const string I16 = "I16";
    public const string U8 = "U8";
    public const string U16 = "U16";
    public const string U32 = "U32";
    public const string U64 = "U64";

    /// <summary>For messages: what the reader accepts.</summary>
    public const string Readable = "F32, F64, F16, BF16, I8, I16, I32, I64, U8, U16, U32 and U64";

    /// <summary>Bytes per element of a readable dtype; 0 for one Gradscope cannot read.</summary>
    public static int SizeOf(string dtype) => dtype switch
    {
        F64 or I64 or U64 => 8,
        F32 or I32 or U32 => 4,
        F16 or BF16 or I16 or U16 => 2,
        I8 or U8 => 1,
        _ => 0,
    };

    /// <summary>True for the dtypes the writer produces (I64 for integer buffers such as a batch norm's <c>num_batches_tracked</c>).</summary>
    public static bool IsWritable(string dtype) => dtype is F32 or F64 or I64;

    /// <summary>
    /// Decodes <paramref name="destination"/>.Length elements from <paramref name="source"/>, which
    /// holds exactly that many elements of <paramref name="dtype"/>.
    /// </summary>
    public static void Decode(string dtype, ReadOnlySpan<byte> source, Span<double> destination)
    {
        switch (dtype)
        {
            case F32:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source.Slice(4 * i, 4));
                break;
            case F64:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadDoubleLittleEndian(source.Slice(8 * i, 8));
                break;
            case F16:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = (double)BinaryPrimitives.ReadHalfLittleEndian(source.Slice(2 * i, 2));
                break;
            case BF16:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(2 * i, 2)));
                break;
            case I32:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadInt32LittleEndian(source.Slice(4 * i, 4));
                break;
            case I64:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadInt64LittleEndian(source.Slice(8 * i, 8));
                break;
            default:
                DecodeSmallIntegers(dtype, source, destination);
                break;
        }
    }

    /// <summary>
    /// Encodes <paramref name="source"/> as F32 (rounding to nearest), F64 or I64 (whole numbers, checked by the writer) into
    /// <paramref name="destination"/>, which has room for exactly that many elements.
    /// </summary>
    public static void Encode(string dtype, ReadOnlySpan<double> source, Span<byte> destination)
    {
        switch (dtype)
        {
            case F32:
                for (int i = 0; i < source.Length; i++)
                    BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(4 * i, 4), (float)source[i]);
                break;
            case F64:
                for (int i = 0; i < source.Length; i++)
                    BinaryPrimitives.WriteDoubleLittleEndian(destination.Slice(8 * i, 8), source[i]);
                break;
            case I64:
                for (int i = 0; i < source.Length; i++)
                    BinaryPrimitives.WriteInt64LittleEndian(destination.Slice(8 * i, 8), (long)source[i]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a writable dtype");
        }
    }

    // The integer types data files use for labels (NumPy's uint8 and friends); U64 beyond 2^53 rounds.
    private static void DecodeSmallIntegers(string dtype, ReadOnlySpan<byte> source, Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = dtype switch
            {
                I8 => (sbyte)source[i],
                U8 => source[i],
                I16 => BinaryPrimitives.ReadInt16LittleEndian(source.Slice(2 * i, 2)),
                U16 => BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(2 * i, 2)),
                U32 => BinaryPrimitives.ReadUInt32LittleEndian(source.Slice(4 * i, 4)),
                U64 => BinaryPrimitives.ReadUInt64LittleEndian(source.Slice(8 * i, 8)),
                _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a readable dtype"),
            };
        }
    }

    /// <summary>bfloat16 is the upper half of an IEEE binary32, so widening is a 16-bit shift.</summary>
    private static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);
}
