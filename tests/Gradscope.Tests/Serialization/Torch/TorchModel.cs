using Gradscope.Serialization.Safetensors;

namespace Gradscope.Tests.Serialization.Torch;

/// <summary>What a module of the reference model computes.</summary>
internal enum TorchKind
{
    Linear,
    BatchNorm,
    LayerNorm,
    Relu,
    Tanh,

    /// <summary>Dropout in eval mode or Flatten on [N, F]: the identity, and no tensors.</summary>
    Identity,
}

/// <summary>One module: its path in the state dict, what it computes, its width and its tensors by field name.</summary>
internal sealed record TorchModule(string Path, TorchKind Kind, int Inputs, int Outputs, Dictionary<string, (int[] Shape, double[] Values)> Tensors);

/// <summary>
/// A PyTorch model as its state dict lays it out (<c>nn.Linear</c>: weight [out, in], bias [out];
/// <c>nn.BatchNorm1d</c>: weight, bias, running_mean, running_var [n], num_batches_tracked [] I64;
/// <c>nn.LayerNorm</c>: weight, bias [n]; activations, Dropout and Flatten: nothing), with random
/// float32-representable values, written as safetensors the way <c>save_file(model.state_dict())</c> does.
/// </summary>
internal sealed class TorchModel(int seed)
{
    private readonly SeededRandom _rng = new(seed);

    public List<TorchModule> Modules { get; } = [];

    public int Inputs => Modules.First(m => m.Tensors.Count > 0).Inputs;

    public TorchModel Linear(string path, int inputs, int outputs, bool bias = true)
    {
        var tensors = new Dictionary<string, (int[], double[])> { ["weight"] = ([outputs, inputs], Random(outputs * inputs, 0, 0.7)) };
        if (bias)
            tensors["bias"] = ([outputs], Random(outputs, 0, 0.2));
        Modules.Add(new TorchModule(path, TorchKind.Linear, inputs, outputs, tensors));
        return this;
    }

    public TorchModel BatchNorm(string path, int size)
    {
        var variance = Random(size, 1, 0.2);
        for (int i = 0; i < size; i++)
            variance[i] = (float)Math.Abs(variance[i]);
        Modules.Add(new TorchModule(path, TorchKind.BatchNorm, size, size, new()
        {
            ["weight"] = ([size], Random(size, 1, 0.2)),
            ["bias"] = ([size], Random(size, 0, 0.2)),
            ["running_mean"] = ([size], Random(size, 0, 0.3)),
            ["running_var"] = ([size], variance),
            ["num_batches_tracked"] = ([], [17]),
        }));
        return this;
    }

    public TorchModel LayerNorm(string path, int size)
    {
        Modules.Add(new TorchModule(path, TorchKind.LayerNorm, size, size, new()
        {
            ["weight"] = ([size], Random(size, 1, 0.2)),
            ["bias"] = ([size], Random(size, 0, 0.2)),
        }));
        return this;
    }

    /// <summary>A module without tensors: an activation (<see cref="TorchKind.Relu"/>, <see cref="TorchKind.Tanh"/>) or the identity (Dropout, Flatten).</summary>
    public TorchModel Parameterless(string path, TorchKind kind)
    {
        int width = Modules.Count == 0 ? 0 : Modules[^1].Outputs;
        Modules.Add(new TorchModule(path, kind, width, width, []));
        return this;
    }

    /// <summary>Every tensor under its state-dict name, in state-dict order.</summary>
    public List<SafetensorsTensor> StateDict()
    {
        var tensors = new List<SafetensorsTensor>();
        foreach (var module in Modules)
        {
            foreach (var (field, (shape, values)) in module.Tensors)
            {
                string dtype = field == "num_batches_tracked" ? "I64" : "F32";
                tensors.Add(new SafetensorsTensor(module.Path + "." + field, dtype, shape, values));
            }
        }

        return tensors;
    }

    /// <summary>The names of the trainable tensors (weights and biases, not running statistics), in state-dict order.</summary>
    public List<string> TrainableNames()
    {
        var names = new List<string>();
        foreach (var module in Modules)
        {
            foreach (var field in module.Tensors.Keys)
            {
                if (field is "weight" or "bias")
                    names.Add(module.Path + "." + field);
            }
        }

        return names;
    }

    /// <summary>Writes the state dict as safetensors, with only the <c>format: pt</c> metadata PyTorch's save_file writes.</summary>
    public string Write(string directory, string name = "torch.safetensors")
    {
        string path = Path.Combine(directory, name);
        SafetensorsFile.Write(path, StateDict(), new Dictionary<string, string> { ["format"] = "pt" });
        return path;
    }

    private double[] Random(int count, double mean, double std)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
            values[i] = (float)_rng.NextGaussian(mean, std); // float32 values, as torch.float32 stores them
        return values;
    }
}
