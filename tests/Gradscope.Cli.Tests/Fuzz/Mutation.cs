using System.Buffers.Binary;

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
