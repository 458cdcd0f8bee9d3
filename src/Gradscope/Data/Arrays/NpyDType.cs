using System.Numerics;
using System.Runtime.InteropServices;

namespace Gradscope.Data.Arrays;

/// <summary>
/// An element type of a <c>.npy</c> array as its <c>descr</c> names it: a byte order (<c>&lt;</c>
/// little, <c>&gt;</c> big, <c>|</c> not applicable, <c>=</c> native), a kind (<c>f</c> float,
/// <c>i</c> signed, <c>u</c> unsigned integer) and a size in bytes. Only the kinds a data file
/// needs are read: floats of 2, 4 or 8 bytes and integers of 1, 2, 4 or 8 bytes.
/// </summary>
internal readonly record struct NpyDType(string Descr, char Kind, int Size, bool BigEndian)
{
    /// <summary>For messages: what the reader accepts.</summary>
    public const string Readable = "float16/32/64 ('<f2', '<f4', '<f8') and integers of 1 to 8 bytes ('|i1', '<i2', '<i4', '<i8', '|u1', '<u2', '<u4', '<u8'), either byte order";

    public bool IsFloat => Kind == 'f';

    /// <summary>The NumPy name, e.g. <c>float32</c> or <c>uint8</c>.</summary>
    public string TypeName => (Kind switch { 'f' => "float", 'i' => "int", _ => "uint" }) + (Size * 8).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses a <c>descr</c> string; false for anything this reader cannot decode.</summary>
    public static bool TryParse(string descr, out NpyDType dtype)
    {
        dtype = default;
        if (descr.Length < 3 || descr[0] is not ('<' or '>' or '|' or '='))
            return false;
        char kind = descr[1];
        if (!int.TryParse(descr.AsSpan(2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size))
            return false;
        bool known = kind switch
        {
            'f' => size is 2 or 4 or 8,
            'i' or 'u' => size is 1 or 2 or 4 or 8,
            _ => false,
        };

        // '|' means "byte order does not apply", which NumPy writes only for one-byte types.
        if (!known || (descr[0] == '|' && size != 1))
            return false;
        bool bigEndian = descr[0] == '>' || (descr[0] == '=' && !BitConverter.IsLittleEndian);
        dtype = new NpyDType(descr, kind, size, bigEndian);
        return true;
    }

    /// <summary>
    /// Decodes <paramref name="destination"/>.Length elements from <paramref name="source"/>,
    /// widening to double. Swaps foreign-order bytes in place in <paramref name="source"/> first,
    /// so the type is switched on once per call, not once per element.
    /// </summary>
    public void Decode(Span<byte> source, Span<double> destination)
    {
        source = source[..(destination.Length * Size)];
        if (Size > 1 && BigEndian == BitConverter.IsLittleEndian)
        {
            for (int i = 0; i < source.Length; i += Size)
                source.Slice(i, Size).Reverse();
        }

        switch (Kind, Size)
        {
            case ('f', 2): Widen(MemoryMarshal.Cast<byte, Half>(source), destination); break;
            case ('f', 4): Widen(MemoryMarshal.Cast<byte, float>(source), destination); break;
            case ('f', 8): MemoryMarshal.Cast<byte, double>(source).CopyTo(destination); break;
            case ('i', 1): Widen(MemoryMarshal.Cast<byte, sbyte>(source), destination); break;
            case ('u', 1): Widen<byte>(source, destination); break;
            case ('i', 2): Widen(MemoryMarshal.Cast<byte, short>(source), destination); break;
            case ('u', 2): Widen(MemoryMarshal.Cast<byte, ushort>(source), destination); break;
            case ('i', 4): Widen(MemoryMarshal.Cast<byte, int>(source), destination); break;
            case ('u', 4): Widen(MemoryMarshal.Cast<byte, uint>(source), destination); break;
            case ('i', 8): Widen(MemoryMarshal.Cast<byte, long>(source), destination); break;
            default: Widen(MemoryMarshal.Cast<byte, ulong>(source), destination); break;
        }
    }

    // Integers beyond 2^53 round to the nearest double; as labels they are rejected as too large anyway.
    private static void Widen<TFrom>(ReadOnlySpan<TFrom> from, Span<double> to)
        where TFrom : INumberBase<TFrom>
    {
        for (int i = 0; i < to.Length; i++)
            to[i] = double.CreateTruncating(from[i]);
    }
}
