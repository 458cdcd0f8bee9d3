using static TorchSharp.torch;

namespace TorchSharpStep;

/// <summary>Builds the same nn.Sequential as PyTorch: Linear, activation, ..., Linear (names 0.weight, 0.bias, 2.weight, ...).</summary>
internal static class Network
{
    public static nn.Module<Tensor, Tensor> Build(int input, IReadOnlyList<int> hidden, int classes, string activation)
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        int fanIn = input;
        foreach (int width in hidden)
        {
            modules.Add(($"{modules.Count}", Initialized(nn.Linear(fanIn, width), activation)));
            modules.Add(($"{modules.Count}", Activation(activation)));
            fanIn = width;
        }

        modules.Add(($"{modules.Count}", Initialized(nn.Linear(fanIn, classes), activation)));
        return nn.Sequential(modules);
    }

    public static nn.Module<Tensor, Tensor> Activation(string name) => name switch
    {
        "relu" => nn.ReLU(),
        "sigmoid" => nn.Sigmoid(),
        "tanh" => nn.Tanh(),
        _ => throw new ArgumentException($"Unknown activation '{name}'; expected relu, sigmoid or tanh."),
    };

    // The same initialization as `gradscope bench`: He-normal for ReLU, Glorot-uniform otherwise,
    // zero biases. Timing hardly depends on it, but saturated or dead units would.
    private static nn.Module<Tensor, Tensor> Initialized(TorchSharp.Modules.Linear linear, string activation)
    {
        using (no_grad())
        {
            if (activation == "relu")
                nn.init.kaiming_normal_(linear.weight!, nonlinearity: nn.init.NonlinearityType.ReLU);
            else
                nn.init.xavier_uniform_(linear.weight!);
            linear.bias!.zero_();
        }

        return linear;
    }
}
