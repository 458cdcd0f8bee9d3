using Gradscope.Serialization.Safetensors;

namespace Gradscope.Data.Arrays;

/// <summary>Reads the tensors <c>x</c> and <c>y</c> of a data file in the safetensors format; other tensors are ignored.</summary>
internal static class SafetensorsArrays
{
    /// <summary>Reads <c>x</c> and <c>y</c> from <paramref name="path"/>.</summary>
    /// <exception cref="GradscopeException">The file breaks the safetensors format or lacks a tensor; the message names the file.</exception>
    public static (DataArray X, DataArray Y) Read(string path)
    {
        var file = SafetensorsFile.Read(path);
        return (Find(file, "x", path), Find(file, "y", path));
    }

    private static DataArray Find(SafetensorsFile file, string name, string path)
    {
        if (!file.TryGet(name, out var tensor))
        {
            string names = file.Tensors.Count == 0 ? "no tensors" : DescribeNames(file);
            throw new GradscopeException(
                $"{path} has no tensor '{name}'; it has {names}. A data file holds the features as 'x' and the labels as 'y' (a model file holds weights and is given with --model).");
        }

        bool isFloat = tensor.DType is SafetensorsDType.F32 or SafetensorsDType.F64 or SafetensorsDType.F16 or SafetensorsDType.BF16;
        return new DataArray(name, tensor.DType, isFloat, tensor.Shape, tensor.Values);
    }

    private static string DescribeNames(SafetensorsFile file)
    {
        const int Shown = 10;
        var names = new List<string>(Math.Min(file.Tensors.Count, Shown));
        for (int i = 0; i < file.Tensors.Count && i < Shown; i++)
            names.Add($"'{file.Tensors[i].Name}'");
        string more = file.Tensors.Count > Shown ? $" and {file.Tensors.Count - Shown} more" : "";
        return string.Join(", ", names) + more;
    }
}
