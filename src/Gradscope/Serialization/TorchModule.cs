using Gradscope.Serialization.Safetensors;
using Gradscope.Training;

namespace Gradscope.Serialization;

/// <summary>What a module of a PyTorch <c>nn.Sequential</c> is, told by its tensors.</summary>
internal enum ModuleKind
{
    /// <summary><c>nn.Linear</c>: weight [out, in], optional bias [out].</summary>
    Linear,

    /// <summary><c>nn.BatchNorm1d</c>: weight, bias, running_mean, running_var [n], num_batches_tracked [].</summary>
    BatchNorm,

    /// <summary><c>nn.LayerNorm</c>: weight and bias [n], no running statistics.</summary>
    LayerNorm,
}

/// <summary>One module of a state dict with tensors: its path, kind and widths.</summary>
internal sealed record TorchModule(string Name, ModuleKind Kind, int InputWidth, int OutputWidth)
{
    private const string Expected = "a Linear (weight [out, in], bias [out]), a BatchNorm1d (weight, bias, running_mean, running_var [n], num_batches_tracked) or a LayerNorm (weight and bias [n])";

    /// <summary>The layer this module becomes, at its module path.</summary>
    public LayerSpec ToSpec() => Kind switch
    {
        ModuleKind.Linear => new DenseSpec(OutputWidth) { Module = Name },
        ModuleKind.BatchNorm => new NormSpec(NormKind.Batch) { Module = Name },
        _ => new NormSpec(NormKind.Layer) { Module = Name },
    };

    /// <summary>Classifies the module at <paramref name="name"/> by its tensors (field name to tensor).</summary>
    /// <exception cref="GradscopeException">The tensors fit none of the known modules; the message names them.</exception>
    public static TorchModule Classify(string name, IReadOnlyDictionary<string, SafetensorsTensor> fields, string path)
    {
        fields.TryGetValue("weight", out var weight);
        if (fields.ContainsKey("running_mean") || fields.ContainsKey("running_var"))
            return BatchNorm(name, fields, weight, path);
        if (weight is null)
            throw Unknown(name, fields, path, "it has no weight");
        if (weight.Shape.Length == 2)
            return Linear(name, fields, weight, path);
        if (weight.Shape.Length == 1 && fields.Count == 2 && fields.TryGetValue("bias", out var bias) && bias.Shape.AsSpan().SequenceEqual(weight.Shape))
            return new TorchModule(name, ModuleKind.LayerNorm, weight.Shape[0], weight.Shape[0]);
        if (weight.Shape.Length == 1 && fields.Count == 1)
            throw new GradscopeException($"{path}: '{name}' has a rank-1 weight and no bias (LayerNorm(bias=False)?); only norms with both weight and bias load.");
        throw Unknown(name, fields, path, $"'{name}.weight' has shape {SafetensorsTensor.FormatShape(weight.Shape)}");
    }

    private static TorchModule Linear(string name, IReadOnlyDictionary<string, SafetensorsTensor> fields, SafetensorsTensor weight, string path)
    {
        foreach (var field in fields.Keys)
        {
            if (field is not ("weight" or "bias"))
                throw Unknown(name, fields, path, $"a Linear has no '{field}'");
        }

        int outputs = weight.Shape[0];
        if (fields.TryGetValue("bias", out var bias) && !bias.Shape.AsSpan().SequenceEqual([outputs]))
            throw new GradscopeException($"{path}: tensor '{name}.bias' has shape {SafetensorsTensor.FormatShape(bias.Shape)} but '{name}.weight' has {outputs} rows.");
        if (outputs < 1 || weight.Shape[1] < 1)
            throw new GradscopeException($"{path}: tensor '{name}.weight' has shape {SafetensorsTensor.FormatShape(weight.Shape)}; a Linear layer has at least one input and one output.");
        return new TorchModule(name, ModuleKind.Linear, weight.Shape[1], outputs);
    }

    private static TorchModule BatchNorm(string name, IReadOnlyDictionary<string, SafetensorsTensor> fields, SafetensorsTensor? weight, string path)
    {
        if (weight is null || !fields.ContainsKey("bias"))
            throw new GradscopeException($"{path}: '{name}' has running statistics but no weight and bias (BatchNorm1d(affine=False)?); only affine batch norms load.");
        int size = weight.Shape.Length == 1 ? weight.Shape[0] : -1;
        foreach (var (field, tensor) in fields)
        {
            int[] expected = field switch
            {
                "weight" or "bias" or "running_mean" or "running_var" => [size],
                "num_batches_tracked" => [],
                _ => throw Unknown(name, fields, path, $"a BatchNorm1d has no '{field}'"),
            };
            if (size < 1 || !tensor.Shape.AsSpan().SequenceEqual(expected))
                throw new GradscopeException($"{path}: tensor '{name}.{field}' has shape {SafetensorsTensor.FormatShape(tensor.Shape)}; a BatchNorm1d over n features holds weight, bias, running_mean and running_var of shape [n] and num_batches_tracked of shape [].");
        }

        if (!fields.ContainsKey("running_mean") || !fields.ContainsKey("running_var"))
            throw new GradscopeException($"{path}: '{name}' has only one of running_mean and running_var; a BatchNorm1d has both.");
        return new TorchModule(name, ModuleKind.BatchNorm, size, size);
    }

    private static GradscopeException Unknown(string name, IReadOnlyDictionary<string, SafetensorsTensor> fields, string path, string why) =>
        new($"{path}: module '{name}' (tensors {string.Join(", ", fields.Keys)}) is not a layer Gradscope loads from an nn.Sequential: {why}; expected {Expected}.");
}
