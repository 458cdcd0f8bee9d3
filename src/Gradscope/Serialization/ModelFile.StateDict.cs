using System.Numerics;
using Gradscope.Layers;
using Gradscope.Serialization.Safetensors;

namespace Gradscope.Serialization;

/// <summary>A network's tensors as PyTorch's state dict names them, out to a file and back.</summary>
public static partial class ModelFile
{
    /// <summary>Every tensor of <paramref name="network"/> under its state-dict name, in state-dict order.</summary>
    internal static IReadOnlyList<SafetensorsTensor> StateDict<T>(Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var tensors = new List<SafetensorsTensor>();
        foreach (var leaf in LayerTree.Leaves(network))
        {
            foreach (var entry in Entries(leaf))
            {
                tensors.Add(entry.Count is { } count
                    ? new SafetensorsTensor(entry.Name, SafetensorsDType.I64, [], [count])
                    : SafetensorsTensor.FromValues<T>(entry.Name, entry.Shape, entry.Values.Span));
            }
        }

        return tensors;
    }

    /// <summary>
    /// Copies into <paramref name="network"/> every tensor of <paramref name="tensors"/> that has the
    /// same state-dict name and shape, except in the layers whose module path is in
    /// <paramref name="skipModules"/>; everything else keeps the values it has. Returns the names of
    /// the network's tensors (batch counts aside) that were copied and those that were not.
    /// </summary>
    internal static (List<string> Copied, List<string> Left) CopyMatching<T>(Sequential<T> network, IReadOnlyDictionary<string, SafetensorsTensor> tensors, IReadOnlySet<string> skipModules)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var copied = new List<string>();
        var left = new List<string>();
        foreach (var leaf in LayerTree.Leaves(network))
        {
            bool skip = skipModules.Contains(leaf.Path);
            foreach (var entry in Entries(leaf))
            {
                bool match = !skip && tensors.TryGetValue(entry.Name, out var tensor) && tensor.Shape.AsSpan().SequenceEqual(entry.Shape);
                if (entry.Count is not null)
                {
                    if (match)
                        ((BatchNorm<T>)leaf.Layer).BatchesTracked = (long)tensors[entry.Name].Values[0];
                    continue;
                }

                if (match)
                    tensors[entry.Name].CopyTo(entry.Values.Span);
                (match ? copied : left).Add(entry.Name);
            }
        }

        return (copied, left);
    }

    /// <summary>
    /// Fills <paramref name="network"/> from <paramref name="file"/> by state-dict name; every tensor
    /// the network has must be there with its shape (but a Linear's bias, absent for
    /// <c>bias=False</c>, stays zero, and a missing batch count is 0), and the file may hold no
    /// other. <paramref name="architecture"/> names what described the network, for messages.
    /// </summary>
    private static void LoadStateDict<T>(Sequential<T> network, SafetensorsFile file, string path, string architecture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var leaf in LayerTree.Leaves(network))
        {
            foreach (var entry in Entries(leaf))
            {
                if (!used.Add(entry.Name))
                    throw new GradscopeException($"{path}: {architecture} gives two layers the tensor '{entry.Name}'; give each layer its own \"module\".");
                if (!file.TryGet(entry.Name, out _) && MayBeAbsent(leaf.Layer, entry.Name))
                    continue;
                var tensor = Expect(file, entry.Name, entry.Shape, path, architecture);
                if (entry.Count is null)
                    tensor.CopyTo(entry.Values.Span);
                else
                    SetBatchesTracked(leaf.Layer, tensor, path);
            }
        }

        foreach (var tensor in file.Tensors)
        {
            if (!used.Contains(tensor.Name))
                throw new GradscopeException($"{path}: tensor '{tensor.Name}' is not part of {architecture}.");
        }
    }

    private static bool MayBeAbsent<T>(ILayer<T> layer, string name)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (layer is Dense<T> && name.EndsWith(".bias", StringComparison.Ordinal)) ||
        (layer is BatchNorm<T> && name.EndsWith(".num_batches_tracked", StringComparison.Ordinal));

    private static SafetensorsTensor Expect(SafetensorsFile file, string name, int[] shape, string path, string architecture)
    {
        if (!file.TryGet(name, out var tensor))
            throw new GradscopeException($"{path}: tensor '{name}' is missing; {architecture} needs it with shape {SafetensorsTensor.FormatShape(shape)}.");
        if (!tensor.Shape.AsSpan().SequenceEqual(shape))
        {
            throw new GradscopeException(
                $"{path}: tensor '{name}' has shape {SafetensorsTensor.FormatShape(tensor.Shape)} but {architecture} needs {SafetensorsTensor.FormatShape(shape)}.");
        }

        return tensor;
    }

    private static void SetBatchesTracked<T>(ILayer<T> layer, SafetensorsTensor tensor, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double count = tensor.Values[0];
        if (count < 0 || count != Math.Floor(count))
            throw new GradscopeException($"{path}: tensor '{tensor.Name}' holds {count}; a batch count is a whole number of at least 0.");
        ((BatchNorm<T>)layer).BatchesTracked = (long)count;
    }

    /// <summary>What one leaf contributes: named float tensors, or (for a batch count) an integer.</summary>
    private static List<Entry<T>> Entries<T>(NamedLayer<T> leaf)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string prefix = leaf.Path.Length == 0 ? string.Empty : leaf.Path + ".";
        var entries = new List<Entry<T>>();
        switch (leaf.Layer)
        {
            case Dense<T> dense:
                entries.Add(new(prefix + "weight", [dense.OutputSize, dense.InputSize], dense.Weight.Value));
                entries.Add(new(prefix + "bias", [dense.OutputSize], dense.Bias.Value));
                break;
            case BatchNorm<T> norm:
                entries.Add(new(prefix + "weight", [norm.Size], norm.Weight.Value));
                entries.Add(new(prefix + "bias", [norm.Size], norm.Bias.Value));
                entries.Add(new(prefix + "running_mean", [norm.Size], norm.RunningMean));
                entries.Add(new(prefix + "running_var", [norm.Size], norm.RunningVariance));
                entries.Add(new(prefix + "num_batches_tracked", [], null, norm.BatchesTracked));
                break;
            default:
                // LayerNorm and layers this file does not know: parameters by name, one-row ones as vectors.
                foreach (var p in leaf.Layer.Parameters)
                {
                    int[] shape = p.Value.Rows == 1 ? [p.Value.Cols] : [p.Value.Rows, p.Value.Cols];
                    entries.Add(new(prefix + p.Name, shape, p.Value));
                }

                break;
        }

        return entries;
    }

    private readonly record struct Entry<T>(string Name, int[] Shape, Tensors.Matrix<T>? Matrix, long? Count = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Tensors.Matrix<T> Values => Matrix ?? throw new InvalidOperationException($"'{Name}' is a count, not a tensor.");
    }
}
