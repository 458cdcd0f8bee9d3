using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Gradscope.Serialization.Safetensors;
using Gradscope.Training;

namespace Gradscope.Serialization;

/// <summary>
/// What a model file must satisfy beyond its format: values a network can compute with, and
/// metadata that agrees with the tensors. Either kind of fault would otherwise load silently and
/// surface later as a NaN loss or a network other than the one described.
/// </summary>
public static partial class ModelFile
{
    // A hidden-size list longer than this is cut off with "..." in messages.
    private const int SizesShown = 8;

    /// <summary>
    /// Every float tensor must hold finite values that fit <typeparamref name="T"/>, and a batch
    /// norm's <c>running_var</c> none below 0 (its square root divides the input).
    /// </summary>
    private static void CheckValues<T>(SafetensorsFile file, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double limit = typeof(T) == typeof(float) ? float.MaxValue : double.MaxValue;
        foreach (var tensor in file.Tensors)
        {
            if (tensor.DType is SafetensorsDType.I32 or SafetensorsDType.I64)
                continue;
            bool variance = tensor.Name == "running_var" || tensor.Name.EndsWith(".running_var", StringComparison.Ordinal);
            double[] values = tensor.Values;
            for (int i = 0; i < values.Length; i++)
            {
                double v = values[i];
                if (!double.IsFinite(v) || Math.Abs(v) > limit || (variance && v < 0))
                    throw new GradscopeException(BadValue(tensor, i, variance, limit, path));
            }
        }
    }

    private static string BadValue(SafetensorsTensor tensor, int index, bool variance, double limit, string path)
    {
        double v = tensor.Values[index];
        string at = $"tensor '{tensor.Name}' holds {v.ToString(CultureInfo.InvariantCulture)} at {Position(tensor.Shape, index)}";
        if (double.IsNaN(v) || double.IsInfinity(v))
            return $"{path}: {at}; a model's values must be finite numbers (was it saved from a run whose training diverged?).";
        if (Math.Abs(v) > limit)
            return $"{path}: {at}, beyond the range of float32 (at most {limit.ToString("G3", CultureInfo.InvariantCulture)}); load it as float64.";
        return $"{path}: {at}; a batch norm's running variance cannot be negative.";
    }

    /// <summary>The row-major index as <c>[i, j, ...]</c> in the tensor's shape.</summary>
    private static string Position(int[] shape, int index)
    {
        if (shape.Length == 0)
            return "its only element";
        var position = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            position[d] = index % shape[d];
            index /= shape[d];
        }

        return SafetensorsTensor.FormatShape(position);
    }

    /// <summary>
    /// A plain dense network's shape comes from its tensors; the metadata's <c>input</c>,
    /// <c>hidden</c> and <c>output</c>, where present, must say the same.
    /// </summary>
    private static void CheckDenseMetadata(SafetensorsFile file, NetworkSpec inferred, string path)
    {
        if (!file.Metadata.TryGetValue(ArchitectureKey, out var json))
            return;
        string source = $"{path}: metadata '{ArchitectureKey}'";
        var (first, last) = EndWeights(file);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.TryGetProperty("input", out _) && Size(root, "input", source) is var input && input != inferred.InputSize)
        {
            throw new GradscopeException(
                $"{source} says the network takes {input} inputs, but its first weight '{first.Name}' has shape {SafetensorsTensor.FormatShape(first.Shape)}: {inferred.InputSize} inputs.");
        }

        if (root.TryGetProperty("hidden", out _) && Hidden(root, source) is var hidden && !hidden.SequenceEqual(inferred.HiddenSizes))
        {
            throw new GradscopeException(
                $"{source} says {hidden.Count} hidden layers {ShowSizes(hidden)}, but the file's weights make {inferred.HiddenSizes.Count} {ShowSizes(inferred.HiddenSizes)}.");
        }

        if (root.TryGetProperty("output", out _) && Size(root, "output", source) is var output && output != inferred.OutputSize)
        {
            throw new GradscopeException(
                $"{source} says the network has {output} outputs, but its last weight '{last.Name}' has shape {SafetensorsTensor.FormatShape(last.Shape)}: {inferred.OutputSize} outputs.");
        }
    }

    // The first and last Linear weights (rank 2, named "<path>.weight"), ordered by their module index.
    private static (SafetensorsTensor First, SafetensorsTensor Last) EndWeights(SafetensorsFile file)
    {
        SafetensorsTensor? first = null, last = null;
        long firstIndex = long.MaxValue, lastIndex = long.MinValue;
        foreach (var tensor in file.Tensors)
        {
            if (tensor.Shape.Length != 2 || !tensor.Name.EndsWith(".weight", StringComparison.Ordinal))
                continue;
            string module = tensor.Name[..^".weight".Length];
            string digits = module[(module.LastIndexOf('.') + 1)..];
            long index = long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) ? parsed : 0;
            if (index < firstIndex)
                (first, firstIndex) = (tensor, index);
            if (index >= lastIndex)
                (last, lastIndex) = (tensor, index);
        }

        return (first!, last!);
    }

    private static string ShowSizes(IReadOnlyList<int> sizes)
    {
        var shown = new List<int>();
        for (int i = 0; i < Math.Min(sizes.Count, SizesShown); i++)
            shown.Add(sizes[i]);
        return "[" + string.Join(", ", shown) + (sizes.Count > SizesShown ? ", ..." : string.Empty) + "]";
    }
}
