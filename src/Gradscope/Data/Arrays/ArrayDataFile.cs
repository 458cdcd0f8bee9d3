using Gradscope.Data.Sequences;

namespace Gradscope.Data.Arrays;

/// <summary>
/// Reads labelled arrays from a NumPy <c>.npz</c> file (<c>np.savez(path, x=..., y=...)</c> or
/// <c>np.savez_compressed</c>) or a <c>.safetensors</c> file with the same two tensors: features
/// <c>x</c>, floating point, <c>[N, F]</c> or <c>[N, T, F]</c>; labels <c>y</c>, integer class
/// indices, <c>[N]</c> or (for sequences) <c>[N, T]</c>. Tables become a <see cref="Dataset"/>,
/// sequences a <see cref="SequenceDataset"/>. Other arrays in the file are ignored.
/// </summary>
internal static class ArrayDataFile
{
    /// <summary>True when <paramref name="path"/> ends in <c>.npz</c> or <c>.safetensors</c> (case-insensitive).</summary>
    public static bool IsArrayPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Reads a table: <c>x [N, F]</c> and <c>y [N]</c> (or <c>[N, 1]</c>); or sequences <c>x [N, T, F]</c>
    /// with one label per sequence, as rows of <c>T * F</c> values with a <see cref="SequenceShape"/>.
    /// </summary>
    /// <param name="path">An <c>.npz</c> file, or a safetensors file (any other extension).</param>
    /// <exception cref="GradscopeException">The file is missing or malformed, lacks <c>x</c> or <c>y</c>, their shapes or types do not fit, x is not finite, a label is negative, or y has one label per step; the message names the file.</exception>
    public static Dataset ReadDataset(string path)
    {
        var (x, y) = ReadArrays(path);
        return ArrayDataBuilder.ToDataset(x, y, path, DatasetName(path));
    }

    /// <summary>Reads sequences: <c>x [N, T, F]</c> with <c>y [N]</c> (many-to-one) or <c>[N, T]</c> (many-to-many).</summary>
    /// <param name="path">An <c>.npz</c> file, or a safetensors file (any other extension).</param>
    /// <exception cref="GradscopeException">The file is missing or malformed, lacks <c>x</c> or <c>y</c>, their shapes or types do not fit, x is not finite or a label is negative; the message names the file.</exception>
    public static SequenceDataset ReadSequences(string path)
    {
        var (x, y) = ReadArrays(path);
        return ArrayDataBuilder.ToSequences(x, y, path, DatasetName(path));
    }

    private static (DataArray X, DataArray Y) ReadArrays(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) ? NpzReader.Read(path) : SafetensorsArrays.Read(path);
    }

    private static string DatasetName(string path)
    {
        string name = Path.GetFileNameWithoutExtension(path);
        return name.Length > 0 ? name : path;
    }
}
