using System.Globalization;
using Gradscope.Activations;
using Gradscope.Serialization.Safetensors;
using Gradscope.Training;

namespace Gradscope.Serialization;

/// <summary>
/// Reads the architecture of a PyTorch <c>nn.Sequential</c> from its state dict alone: which
/// module each index holds, told by its tensors, and where the activations go, told by the gaps in
/// the indexes (modules without tensors: activations, <c>Dropout</c>, <c>Flatten</c>).
/// </summary>
/// <remarks>
/// Per index: <c>running_mean</c> makes a <c>BatchNorm1d</c> (weight, bias, running_mean,
/// running_var [n], num_batches_tracked []); a rank-2 weight a <c>Linear</c> (weight [out, in],
/// optional bias [out]); a rank-1 weight and bias and nothing else a <c>LayerNorm</c>. All names
/// share one prefix before the index (none, <c>net.</c>, <c>model.</c>, <c>module.</c> from
/// DataParallel, ...). Between two Linear layers the first empty index holds the activation; further
/// empty indexes (Dropout, Flatten) and those before the first Linear are identities here. Two
/// Linear layers with no empty index between them have no activation between them.
/// </remarks>
internal static class TorchSequential
{
    private const string SpecHint = "describe the network with --model-spec, giving each layer its \"module\" (its path in the state dict)";

    /// <summary>The network <paramref name="file"/> holds; <paramref name="activation"/> fills the gaps that hold one.</summary>
    /// <exception cref="GradscopeException">The tensors are not an nn.Sequential of Linear and norm layers, or an activation is needed and not given.</exception>
    public static NetworkSpec Infer(SafetensorsFile file, Activation? activation, string path)
    {
        var (prefix, modules) = Group(file, path);
        var indexes = new List<int>(modules.Keys);
        var byIndex = new SortedDictionary<int, LayerSpec>();
        int width = modules[indexes[0]].InputWidth;
        int previousLinear = -1;
        for (int k = 0; k < indexes.Count; k++)
        {
            var module = modules[indexes[k]];
            if (module.InputWidth != width)
                throw Mismatch(path, Name(prefix, indexes[k - 1]), width, module);
            if (module.Kind == ModuleKind.Linear)
            {
                if (previousLinear >= 0 && FirstGap(indexes, previousLinear, k) is { } gap)
                    byIndex[gap] = new ActivationSpec(activation ?? throw NoActivation(path, Name(prefix, gap))) { Module = Name(prefix, gap) };
                previousLinear = k;
            }

            byIndex[indexes[k]] = module.ToSpec();
            width = module.OutputWidth;
        }

        var layers = new List<LayerSpec>(byIndex.Values);
        if (layers[^1] is not DenseSpec output)
            throw new GradscopeException($"{path}: the last module with tensors, '{Name(prefix, indexes[^1])}', is a norm; a classifier ends in a Linear layer (the logits). To load anything else, {SpecHint}.");
        layers.RemoveAt(layers.Count - 1);
        int input = modules[indexes[0]].InputWidth;
        if (IsPlainChain(prefix, layers, output))
            return new NetworkSpec(input, Widths(layers), output.Units, activation ?? Activation.Parse("identity"));
        return NetworkSpec.FromLayers(input, layers, output.Units, output.Module);
    }

    private static string Name(string prefix, int index) => prefix + index.ToString(CultureInfo.InvariantCulture);

    // The first index holding no tensors between the modules at positions `from` and `to` of `indexes`.
    private static int? FirstGap(List<int> indexes, int from, int to)
    {
        for (int k = from; k < to; k++)
        {
            if (indexes[k + 1] > indexes[k] + 1)
                return indexes[k] + 1;
        }

        return null;
    }

    private static (string Prefix, SortedDictionary<int, TorchModule> Modules) Group(SafetensorsFile file, string path)
    {
        string? prefix = null;
        string? prefixFrom = null;
        var tensors = new SortedDictionary<int, Dictionary<string, SafetensorsTensor>>();
        foreach (var tensor in file.Tensors)
        {
            var (tensorPrefix, index, field) = Split(tensor.Name, path);
            if (prefix is null)
                (prefix, prefixFrom) = (tensorPrefix, tensor.Name);
            else if (prefix != tensorPrefix)
                throw new GradscopeException($"{path}: tensors '{prefixFrom}' and '{tensor.Name}' sit under different modules ('{prefix}' and '{tensorPrefix}'); one nn.Sequential loads as it is, anything else needs its layers named: {SpecHint}.");
            if (!tensors.TryGetValue(index, out var fields))
                tensors[index] = fields = new Dictionary<string, SafetensorsTensor>(StringComparer.Ordinal);
            fields[field] = tensor;
        }

        if (prefix is null)
            throw new GradscopeException($"{path} holds no tensors; this is not a saved network.");
        var modules = new SortedDictionary<int, TorchModule>();
        foreach (var (index, fields) in tensors)
            modules[index] = TorchModule.Classify(prefix + index.ToString(CultureInfo.InvariantCulture), fields, path);
        return (prefix, modules);
    }

    // "net.3.running_mean" -> ("net.", 3, "running_mean").
    private static (string Prefix, int Index, string Field) Split(string name, string path)
    {
        int fieldDot = name.LastIndexOf('.');
        int indexDot = fieldDot <= 0 ? -1 : name.LastIndexOf('.', fieldDot - 1);
        string indexText = fieldDot <= 0 ? string.Empty : name[(indexDot + 1)..fieldDot];
        if (fieldDot <= 0 || !int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            throw new GradscopeException($"{path}: tensor '{name}' is not named like an nn.Sequential entry ('0.weight', 'net.2.bias', ...); to load another model, {SpecHint}.");
        return (name[..(indexDot + 1)], index, name[(fieldDot + 1)..]);
    }

    private static GradscopeException Mismatch(string path, string before, int width, TorchModule module)
    {
        string takes = module.Kind == ModuleKind.Linear ? "takes" : "normalizes";
        return new GradscopeException($"{path}: layer '{before}' outputs {width} features but layer '{module.Name}' {takes} {module.InputWidth}.");
    }

    private static GradscopeException NoActivation(string path, string gap) => new(
        $"{path} does not say which activation its network uses (a file written by PyTorch keeps no tensors for activations; " +
        $"'{gap}' holds one); name it with --activation, e.g. --activation relu, or {SpecHint}.");

    // Linear at 0, 2, 4, ... with the activation between each: the layout Gradscope's own plain files have.
    private static bool IsPlainChain(string prefix, List<LayerSpec> hidden, DenseSpec output)
    {
        if (prefix.Length != 0 || output.Module != (2 * (hidden.Count / 2)).ToString(CultureInfo.InvariantCulture))
            return false;
        for (int i = 0; i < hidden.Count; i++)
        {
            bool expected = i % 2 == 0 ? hidden[i] is DenseSpec : hidden[i] is ActivationSpec;
            if (!expected || hidden[i].Module != i.ToString(CultureInfo.InvariantCulture))
                return false;
        }

        return hidden.Count % 2 == 0;
    }

    private static List<int> Widths(List<LayerSpec> hidden)
    {
        var widths = new List<int>();
        foreach (var layer in hidden)
        {
            if (layer is DenseSpec dense)
                widths.Add(dense.Units);
        }

        return widths;
    }
}
