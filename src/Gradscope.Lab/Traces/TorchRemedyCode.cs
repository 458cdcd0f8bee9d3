using System.Globalization;
using System.Text;
using Gradscope.Activations;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Traces;

/// <summary>
/// Each remedy as the PyTorch code that applies it to the traced model, naming the user's modules
/// by their paths (<c>net.0</c>): the re-initialization loop over the named <c>Linear</c> modules,
/// <c>nn.BatchNorm1d(n)</c> after the named layers, gradient clipping in the loop, the activation
/// modules to swap, residual blocks, the RNN to LSTM swap. The code assumes the model is called
/// <c>model</c> and the optimizer <c>opt</c>, as in the hook's example.
/// </summary>
public static class TorchRemedyCode
{
    /// <summary>The code for <paramref name="remedy"/> on the traced network, or null when it has none.</summary>
    public static string? For(Remedy remedy, IReadOnlyList<RecordedLayer> layers, FrameworkInfo? framework)
    {
        ArgumentNullException.ThrowIfNull(remedy);
        ArgumentNullException.ThrowIfNull(layers);
        return remedy.Id switch
        {
            "relu-he" => Swap(layers, "relu", "nn.ReLU()") + Init(layers, "relu"),
            "gelu-he" => Swap(layers, "gelu", "nn.GELU()") + Init(layers, "relu"),
            "leaky-relu-he" => Swap(layers, "leaky-relu", "nn.LeakyReLU(0.01)") + Init(layers, "leaky-relu"),
            "tanh-glorot" => Swap(layers, "tanh", "nn.Tanh()") + Init(layers, "tanh"),
            "recommended-init" => Init(layers, MainActivation(layers).Name),
            "clip-lower-lr" => Clip(framework),
            "batch-norm" => BatchNorm(layers),
            "residual" => TorchResidualCode.For(Hidden(layers, "Linear")),
            "lstm" => TorchSnippets.RecurrentSwap(Recurrent(layers), "LSTM", forgetBias: 1.0),
            "gru" => TorchSnippets.RecurrentSwap(Recurrent(layers), "GRU", forgetBias: null),
            "forget-bias" => TorchSnippets.ForgetBias(Recurrent(layers), 3.0),
            _ => null,
        };
    }

    /// <summary>The activation after most hidden layers, as the rules see it.</summary>
    public static Activation MainActivation(IReadOnlyList<RecordedLayer> layers) =>
        NetworkFacts.FromLayers(TraceDiagnosis.Facts(layers), null).MainActivation;

    // The activation modules that follow hidden layers are replaced; functional ones are named for a hand edit.
    private static string Swap(IReadOnlyList<RecordedLayer> layers, string activation, string module)
    {
        var modules = new List<string>();
        var functional = new List<string>();
        for (int l = 0; l < layers.Count - 1; l++)
        {
            if (TraceDiagnosis.IsRecurrent(layers[l].Kind) || layers[l].Activation == activation || layers[l].Activation == "identity")
                continue;
            if (layers[l].ActivationModule is { } path)
                modules.Add(path);
            else
                functional.Add(layers[l].Layer.Name);
        }

        var code = new StringBuilder();
        if (modules.Count > 0)
        {
            code.Append("# swap the activation modules for ").Append(module).Append('\n');
            code.Append("for name in ").Append(TorchSnippets.List(modules)).Append(":\n");
            code.Append("    parent, _, child = name.rpartition(\".\")\n");
            code.Append("    setattr(model.get_submodule(parent) if parent else model, child, ").Append(module).Append(")\n");
        }

        if (functional.Count > 0)
            code.Append("# in forward(), apply ").Append(module).Append(" (or its torch function) after ").Append(string.Join(", ", functional)).Append(" instead of the current activation function\n");
        return code.ToString();
    }

    // The recommended initialization of the activation, on every Linear and Conv layer, with zero biases.
    private static string Init(IReadOnlyList<RecordedLayer> layers, string activation)
    {
        var names = new List<string>();
        foreach (var layer in layers)
        {
            if (layer.Kind is "dense" or "conv")
                names.Add(layer.Layer.Name);
        }

        string call = activation switch
        {
            "relu" or "gelu" or "elu" or "silu" => "nn.init.kaiming_normal_(m.weight, nonlinearity=\"relu\")",
            "leaky-relu" => "nn.init.kaiming_normal_(m.weight, a=0.01, nonlinearity=\"leaky_relu\")",
            "selu" => "nn.init.kaiming_normal_(m.weight, nonlinearity=\"linear\")  # LeCun normal",
            _ => "nn.init.xavier_uniform_(m.weight)",
        };
        return "with torch.no_grad():\n" +
            "    for name in " + TorchSnippets.List(names) + ":\n" +
            "        m = model.get_submodule(name)\n" +
            "        " + call + "\n" +
            "        if m.bias is not None:\n" +
            "            nn.init.zeros_(m.bias)\n";
    }

    private static string Clip(FrameworkInfo? framework)
    {
        string lr = framework is { LearningRate: var rate } && double.IsFinite(rate) && rate > 0
            ? (rate / 10).ToString("G4", CultureInfo.InvariantCulture) + $"  # 10x lower than {rate.ToString("G4", CultureInfo.InvariantCulture)}"
            : "g[\"lr\"] / 10  # 10x lower";
        return "for g in opt.param_groups:\n" +
            "    g[\"lr\"] = " + lr + "\n" +
            "# in the loop, between loss.backward() and opt.step():\n" +
            "torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n";
    }

    // A norm after every hidden Linear or Conv layer, before its activation.
    private static string BatchNorm(IReadOnlyList<RecordedLayer> layers)
    {
        var placements = new List<string>();
        for (int l = 0; l < layers.Count - 1; l++)
        {
            var layer = layers[l];
            string? norm = layer.Kind == "dense" ? "nn.BatchNorm1d" : layer.ModuleKind is "Conv1d" or "Conv2d" or "Conv3d" ? "nn.BatchNorm" + layer.ModuleKind[4..] : null;
            if (norm is not null)
                placements.Add($"(\"{layer.Layer.Name}\", {norm}({layer.Units.ToString(CultureInfo.InvariantCulture)}))");
        }

        return "# each named layer becomes nn.Sequential(layer, norm): the norm sits before its activation\n" +
            "for name, norm in [" + string.Join(", ", placements) + "]:\n" +
            "    parent, _, child = name.rpartition(\".\")\n" +
            "    owner = model.get_submodule(parent) if parent else model\n" +
            "    setattr(owner, child, nn.Sequential(getattr(owner, child), norm))\n";
    }

    private static List<RecordedLayer> Hidden(IReadOnlyList<RecordedLayer> layers, string moduleKind)
    {
        var hidden = new List<RecordedLayer>();
        for (int l = 0; l < layers.Count - 1; l++)
        {
            if (layers[l].Kind == "dense" && (layers[l].ModuleKind ?? "Linear") == moduleKind)
                hidden.Add(layers[l]);
        }

        return hidden;
    }

    private static List<RecordedLayer> Recurrent(IReadOnlyList<RecordedLayer> layers) =>
        [.. layers.Where(l => TraceDiagnosis.IsRecurrent(l.Kind))];
}
