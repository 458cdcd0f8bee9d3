using System.Security.Cryptography;

namespace Gradscope.Lab.Store;

/// <summary>
/// Universally unique lexicographically sortable identifiers (https://github.com/ulid/spec):
/// 48 bits of Unix milliseconds then 80 random bits, as 26 characters of Crockford's base 32, so
/// ids sort by creation time and a run keeps its id when it moves to another store.
/// </summary>
public static class Ulid
{
    /// <summary>Characters of an id.</summary>
    public const int Length = 26;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new id for the current time.</summary>
    public static string New() => New(DateTimeOffset.UtcNow);

    /// <summary>A new id for <paramref name="time"/>.</summary>
    public static string New(DateTimeOffset time)
    {
        Span<byte> bytes = stackalloc byte[16];
        ulong millis = (ulong)time.ToUnixTimeMilliseconds();
        for (int i = 0; i < 6; i++)
            bytes[i] = (byte)(millis >> (8 * (5 - i)));
        RandomNumberGenerator.Fill(bytes[6..]);
        return Encode(bytes);
    }

    /// <summary>
    /// The id of content recorded at <paramref name="time"/>: the time as any id has it, then 80 bits
    /// of the SHA-256 of <paramref name="content"/> instead of random ones, so the same file imported
    /// twice gets the same id and the second import is recognized.
    /// </summary>
    public static string FromContent(DateTimeOffset time, ReadOnlySpan<byte> content)
    {
        Span<byte> bytes = stackalloc byte[16];
        ulong millis = (ulong)Math.Max(0, time.ToUnixTimeMilliseconds());
        for (int i = 0; i < 6; i++)
            bytes[i] = (byte)(millis >> (8 * (5 - i)));
        SHA256.HashData(content)[..10].CopyTo(bytes[6..]);
        return Encode(bytes);
    }

    /// <summary>True when <paramref name="c"/> is a character of an id (either case; Crockford's I, L, O, U excluded).</summary>
    public static bool IsIdCharacter(char c) => Alphabet.Contains(char.ToUpperInvariant(c), StringComparison.Ordinal);

    // 128 bits into 26 five-bit groups, most significant first; the first group holds 3 bits.
    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        UInt128 value = 0;
        foreach (byte b in bytes)
            value = (value << 8) | b;
        return string.Create(Length, value, static (chars, v) =>
        {
            for (int i = Length - 1; i >= 0; i--)
            {
                chars[i] = Alphabet[(int)(v & 31)];
                v >>= 5;
            }
        });
    }
}
