using System.IO.Compression;

namespace Gradscope.Data.Arrays;

/// <summary>
/// Reads the arrays <c>x</c> and <c>y</c> from an <c>.npz</c> file: a zip archive (stored, as
/// <c>np.savez</c> writes it, or deflated, as <c>np.savez_compressed</c> does) whose members
/// <c>x.npy</c> and <c>y.npy</c> are <c>.npy</c> arrays. Other members are ignored.
/// </summary>
internal static class NpzReader
{
    /// <summary>Reads <c>x</c> and <c>y</c> from <paramref name="path"/>.</summary>
    /// <exception cref="GradscopeException">The file is missing, not a zip archive, lacks a member, or a member is malformed; the message names the file and member.</exception>
    public static (DataArray X, DataArray Y) Read(string path)
    {
        using var file = OpenFile(path);
        using var zip = OpenArchive(file, path);
        return (ReadMember(zip, "x", path), ReadMember(zip, "y", path));
    }

    private static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GradscopeException($"Cannot open {path}: {e.Message}", e);
        }
    }

    private static ZipArchive OpenArchive(FileStream file, string path)
    {
        try
        {
            // The central directory is read on the first look at the entries, so look here, where
            // its errors are caught, not in the middle of reading a member.
            var zip = new ZipArchive(file, ZipArchiveMode.Read);
            _ = zip.Entries.Count;
            return zip;
        }
        catch (InvalidDataException e)
        {
            throw new GradscopeException($"{path}: not a readable .npz file (an .npz is a zip archive, as np.savez writes it): {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new GradscopeException($"{path}: cannot read: {e.Message}", e);
        }
    }

    private static DataArray ReadMember(ZipArchive zip, string name, string path)
    {
        string member = name + ".npy";
        var entry = zip.GetEntry(member)
            ?? throw new GradscopeException($"{path} has no array '{name}' (member {member}); it has {DescribeMembers(zip)}. Save the data with np.savez(file, x=features, y=labels).");
        string where = $"{path}: member '{member}'";
        try
        {
            using var stream = entry.Open();
            return NpyReader.Read(stream, entry.Length, name, where);
        }
        catch (InvalidDataException e)
        {
            throw new GradscopeException($"{where} is corrupt: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new GradscopeException($"{where} cannot be read: {e.Message}", e);
        }
    }

    private static string DescribeMembers(ZipArchive zip)
    {
        const int Shown = 10;
        var entries = zip.Entries;
        if (entries.Count == 0)
            return "no members";
        var names = new List<string>(Math.Min(entries.Count, Shown));
        for (int i = 0; i < entries.Count && i < Shown; i++)
            names.Add(entries[i].FullName);
        string more = entries.Count > Shown ? $" and {entries.Count - Shown} more" : "";
        return string.Join(", ", names) + more;
    }
}
