using System.Buffers.Binary;
using System.Text;

namespace Gradscope.Cli.Tests.Fuzz;

/// <summary>
/// One change to a file's bytes. Positions are taken modulo the length when the change applies, so
/// every generated value is valid, mutations compose, and a mutation's printed form (a record's
/// <c>ToString</c>) is enough to replay it on the same seed file.
/// </summary>
internal abstract record Mutation
{
    public abstract byte[] Apply(byte[] input);

    protected static int Wrap(int at, int length) => length == 0 ? 0 : (int)((uint)at % (uint)length);
}

/// <summary>Keeps the first <c>At mod (length + 1)</c> bytes.</summary>
internal sealed record Truncate(int At) : Mutation
{
    public override byte[] Apply(byte[] input) => input[..Wrap(At, input.Length + 1)];
}

internal sealed record FlipBit(int At, int Bit) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        if (input.Length == 0)
            return input;
        byte[] output = (byte[])input.Clone();
        output[Wrap(At, input.Length)] ^= (byte)(1 << (Bit & 7));
        return output;
    }
}

internal sealed record SetByte(int At, byte Value) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        if (input.Length == 0)
            return input;
        byte[] output = (byte[])input.Clone();
        output[Wrap(At, input.Length)] = Value;
        return output;
    }
}

internal sealed record InsertBytes(int At, string Hex) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        int at = Wrap(At, input.Length + 1);
        return [.. input.AsSpan(0, at), .. Convert.FromHexString(Hex), .. input.AsSpan(at)];
    }
}

internal sealed record DeleteBytes(int At, int Count) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        int at = Wrap(At, input.Length);
        int count = Math.Min(Count, input.Length - at);
        return [.. input.AsSpan(0, at), .. input.AsSpan(at + count)];
    }
}

/// <summary>Repeats <c>Count</c> bytes at <c>At</c> right after themselves: a section twice.</summary>
internal sealed record DuplicateRange(int At, int Count) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        int at = Wrap(At, input.Length);
        int count = Math.Min(Count, input.Length - at);
        return [.. input.AsSpan(0, at + count), .. input.AsSpan(at, count), .. input.AsSpan(at + count)];
    }
}

/// <summary>Writes <c>Value</c> over a length or count field of the format: a lying length.</summary>
internal sealed record OverwriteField(string Field, int At, int Width, bool BigEndian, long Value) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        if (At + Width > input.Length)
            return input;
        byte[] output = (byte[])input.Clone();
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, Value);
        for (int i = 0; i < Width; i++)
            output[At + (BigEndian ? Width - 1 - i : i)] = bytes[i];
        return output;
    }
}

/// <summary>
/// Replaces the <c>Index mod count</c>-th number in the text (a run of digits with its sign,
/// fraction and exponent) by <c>Text</c>: 1e308, -1, 2147483648, a deeply nested array...
/// </summary>
internal sealed record ReplaceNumber(int Index, string Text) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        var numbers = NumberSpans(input);
        if (numbers.Count == 0)
            return input;
        var (start, length) = numbers[Wrap(Index, numbers.Count)];
        return [.. input.AsSpan(0, start), .. Encoding.UTF8.GetBytes(Text), .. input.AsSpan(start + length)];
    }

    private static List<(int Start, int Length)> NumberSpans(byte[] text)
    {
        var spans = new List<(int, int)>();
        int i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiDigit((char)text[i]) || (i > 0 && IsWordByte(text[i - 1])))
            {
                i++;
                continue;
            }

            int start = i > 0 && text[i - 1] == '-' ? i - 1 : i;
            while (i < text.Length && (char.IsAsciiDigit((char)text[i]) || text[i] is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+' or (byte)'-'))
                i++;
            spans.Add((start, i - start));
        }

        return spans;
    }

    // A digit right after a letter belongs to a name ("<f4", "idx3"), not a number.
    private static bool IsWordByte(byte b) => char.IsAsciiLetter((char)b) || b == '_';
}

/// <summary>Replaces the <c>Index mod count</c>-th number by <c>Depth</c> nested arrays around it: deep nesting.</summary>
internal sealed record NestNumber(int Index, int Depth) : Mutation
{
    public override byte[] Apply(byte[] input) =>
        new ReplaceNumber(Index, new string('[', Depth) + "1" + new string(']', Depth)).Apply(input);
}

/// <summary>Inserts <c>Text</c> right after the first match of <c>Anchor</c> (for example a layer list's opening bracket).</summary>
internal sealed record InsertAfter(string Anchor, string Text) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        int at = input.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Anchor));
        if (at < 0)
            return input;
        at += Encoding.UTF8.GetByteCount(Anchor);
        return [.. input.AsSpan(0, at), .. Encoding.UTF8.GetBytes(Text), .. input.AsSpan(at)];
    }
}

/// <summary>Puts <c>Depth</c> residual blocks inside each other in front of the first layer of a model spec's first layer list.</summary>
internal sealed record NestResidual(int Depth) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        int layers = input.AsSpan().IndexOf("\"layers\""u8);
        int bracket = layers < 0 ? -1 : input.AsSpan(layers).IndexOf((byte)'[');
        if (bracket < 0)
            return input;
        int at = layers + bracket + 1;
        var text = new StringBuilder();
        for (int i = 0; i < Depth; i++)
            text.Append("{\"type\":\"residual\",\"layers\":[");
        text.Append("{\"type\":\"dense\",\"units\":3}");
        for (int i = 0; i < Depth; i++)
            text.Append("]}");
        text.Append(',');
        return [.. input.AsSpan(0, at), .. Encoding.UTF8.GetBytes(text.ToString()), .. input.AsSpan(at)];
    }
}
