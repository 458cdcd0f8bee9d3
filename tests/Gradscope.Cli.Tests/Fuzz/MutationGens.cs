using System.Buffers.Binary;
using CsCheck;

namespace Gradscope.Cli.Tests.Fuzz;

/// <summary>CsCheck generators of <see cref="Mutation"/>s: byte-level damage for any file, lying fields and numbers for known formats.</summary>
internal static class MutationGens
{
    /// <summary>Numbers that break parsers: overflow, negative, subnormal, NaN, one past the 32-bit limits, plain large sizes.</summary>
    public static readonly string[] HugeNumbers =
    [
        "1e308", "1e999", "-1e999", "-1", "0", "-0", "1e-320", "1.5", "0.5", "3", "2147483647", "2147483648", "-2147483649",
        "4294967296", "9223372036854775808", "99999999999999999999", "100000", "65536", "NaN", "Infinity",
    ];

    private static readonly byte[] InterestingBytes = [0x00, 0xFF, 0x7F, 0x80, (byte)'"', (byte)',', (byte)'\n', (byte)'\r', (byte)'-', (byte)'9', (byte)'{', (byte)'[', (byte)'e', (byte)'.'];

    private static readonly int[] NestingDepths = [2, 30, 63, 64, 65, 1000, 100_000];

    /// <summary>Truncation, bit flips, byte replacement, insertion, deletion and duplication anywhere.</summary>
    public static Gen<Mutation> Bytes { get; } = Gen.Frequency(
        (3, Gen.Int.Select(at => (Mutation)new Truncate(at))),
        (4, Gen.Select(Gen.Int, Gen.Int[0, 7], (at, bit) => (Mutation)new FlipBit(at, bit))),
        (2, Gen.Select(Gen.Int, Gen.OneOf(Gen.Byte, Gen.OneOf(InterestingBytes)), (at, value) => (Mutation)new SetByte(at, value))),
        (2, Gen.Select(Gen.Int, Gen.Byte.Array[1, 8], (at, bytes) => (Mutation)new InsertBytes(at, Convert.ToHexString(bytes)))),
        (2, Gen.Select(Gen.Int, Gen.Int[1, 64], (at, count) => (Mutation)new DeleteBytes(at, count))),
        (1, Gen.Select(Gen.Int, Gen.Int[1, 512], (at, count) => (Mutation)new DuplicateRange(at, count))));

    /// <summary>A number in text replaced by a huge, negative or malformed one, or by deep nesting.</summary>
    public static Gen<Mutation> Numbers { get; } = Gen.Frequency(
        (5, Gen.Select(Gen.Int, Gen.OneOf(HugeNumbers), (index, text) => (Mutation)new ReplaceNumber(index, text))),
        (1, Gen.Select(Gen.Int, Gen.OneOf(NestingDepths), (index, depth) => (Mutation)new NestNumber(index, depth))));

    /// <summary>Text formats (CSV): byte damage and numbers.</summary>
    public static Gen<Mutation> Text { get; } = Gen.Frequency((3, Bytes), (2, Numbers));

    /// <summary>JSON documents: byte damage, numbers, and <paramref name="snippets"/> inserted after their anchors (repeated keys, extra sections).</summary>
    public static Gen<Mutation> Json(params (string Anchor, string Text)[] snippets)
    {
        var inserts = Gen.OneOf(snippets).Select(s => (Mutation)new InsertAfter(s.Anchor, s.Text));
        return snippets.Length == 0 ? Gen.Frequency((3, Bytes), (3, Numbers)) : Gen.Frequency((3, Bytes), (3, Numbers), (1, inserts));
    }

    /// <summary>A token of the format swapped for another: <paramref name="swaps"/> lists (old, new) pairs.</summary>
    public static Gen<Mutation> Tokens(params (string Old, string New)[] swaps) =>
        Gen.Select(Gen.OneOf(swaps), Gen.Int, (swap, index) => (Mutation)new ReplaceText(swap.Old, swap.New, index));

    /// <summary>A shape (<c>[36,3]</c>, <c>(36, 3)</c>) reshaped.</summary>
    public static Gen<Mutation> Shapes { get; } = Gen.Select(Gen.Int, Gen.Int[0, 7], (index, kind) => (Mutation)new Reshape(index, kind));

    /// <summary>A field of <paramref name="seed"/> overwritten with a lying value.</summary>
    public static Gen<Mutation> Fields(byte[] seed, IReadOnlyList<FileField> fields) =>
        Gen.OneOf([.. fields]).SelectMany(field =>
            LyingValue(Original(seed, field), seed.Length).Select(value => (Mutation)new OverwriteField(field.Name, field.At, field.Width, field.BigEndian, value)));

    /// <summary>One to three mutations, applied in order.</summary>
    public static Gen<Mutation[]> Several(Gen<Mutation> one) => one.Array[1, 3];

    private static Gen<long> LyingValue(long original, long fileLength) => Gen.Frequency(
        (4, Gen.OneOf(0L, 1L, -1L, int.MaxValue, int.MinValue, 1L << 31, uint.MaxValue, 1L << 32, long.MaxValue, long.MinValue, 1L << 40, 0xFFFFL, 0x8000L)),
        (3, Gen.OneOf(original + 1, original - 1, original * 2, original + 8, fileLength, fileLength + 1, fileLength - 1)),
        (1, Gen.Long));

    private static long Original(byte[] seed, FileField field)
    {
        if (field.At + field.Width > seed.Length)
            return 0;
        Span<byte> bytes = stackalloc byte[8];
        for (int i = 0; i < field.Width; i++)
            bytes[i] = seed[field.At + (field.BigEndian ? field.Width - 1 - i : i)];
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }
}
