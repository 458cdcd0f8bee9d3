using System.Buffers.Binary;
using System.IO.Compression;
using Gradscope.Tests.Data;

namespace Gradscope.Cli.Tests.Fuzz;

/// <summary>
/// Mutations of a part inside a container, with the container rebuilt around it so that its own
/// checks (a zip's CRC, a gzip trailer, the safetensors header length) pass and the inner format's
/// parser sees the damage. When the container does not parse (an earlier mutation broke it), the
/// input is returned unchanged.
/// </summary>
internal sealed record InSafetensorsHeader(Mutation Inner) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        if (input.Length < 8)
            return input;
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(input);
        if (length > (ulong)(input.Length - 8))
            return input;
        byte[] header = Inner.Apply(input[8..(8 + (int)length)]);
        byte[] output = [.. new byte[8], .. header, .. input.AsSpan(8 + (int)length)];
        BinaryPrimitives.WriteUInt64LittleEndian(output, (ulong)header.Length);
        return output;
    }
}

/// <summary>Mutates member <c>Member mod count</c> of a zip archive and writes the archive again, stored or deflated as it was.</summary>
internal sealed record InZipMember(int Member, Mutation Inner) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        try
        {
            var (members, deflated) = ReadMembers(input);
            if (members.Count == 0)
                return input;
            int index = Wrap(Member, members.Count);
            members[index] = (members[index].Name, Inner.Apply(members[index].Bytes));
            return NpzTestWriter.Zip(deflated, [.. members]);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException)
        {
            // An earlier mutation broke the archive (or a member's name) beyond rebuilding.
            return input;
        }
    }

    private static (List<(string Name, byte[] Bytes)> Members, bool Deflated) ReadMembers(byte[] input)
    {
        using var zip = new ZipArchive(new MemoryStream(input), ZipArchiveMode.Read);
        var members = new List<(string Name, byte[] Bytes)>();
        bool deflated = false;
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            members.Add((entry.FullName, copy.ToArray()));
            deflated |= entry.CompressedLength != entry.Length;
        }

        return (members, deflated);
    }
}

/// <summary>Mutates the text inside a gzip file and compresses it again.</summary>
internal sealed record InGzip(Mutation Inner) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        byte[] text;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(input), CompressionMode.Decompress);
            using var copy = new MemoryStream();
            gzip.CopyTo(copy);
            text = copy.ToArray();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            return input;
        }

        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(Inner.Apply(text));
        return output.ToArray();
    }
}
