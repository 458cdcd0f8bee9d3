using System.Numerics;
using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Layers;

namespace Gradscope.Training;

/// <summary>
/// A dense network: <c>input -> [Dense, activation] x hidden -> Dense(classes)</c>, as PyTorch's
/// <c>nn.Sequential(Linear, Act, ..., Linear)</c>. No activation follows the last layer: the loss
/// takes its logits.
/// </summary>
public sealed record NetworkSpec
{
    /// <summary>Creates a spec; sizes must be at least 1.</summary>
    public NetworkSpec(int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, Activation activation)
    {
        if (inputSize < 1 || outputSize < 1)
            throw new GradscopeException($"A network needs at least one input and one output; got {inputSize} inputs and {outputSize} outputs.");
        foreach (int size in hiddenSizes)
        {
            if (size < 1)
                throw new GradscopeException($"Hidden layer sizes must be at least 1; got {size}.");
        }

        InputSize = inputSize;
        HiddenSizes = [.. hiddenSizes];
        OutputSize = outputSize;
        Activation = activation;
    }

    /// <summary>Features in.</summary>
    public int InputSize { get; }

    /// <summary>Width of each hidden layer, first to last.</summary>
    public IReadOnlyList<int> HiddenSizes { get; }

    /// <summary>Outputs (classes).</summary>
    public int OutputSize { get; }

    /// <summary>The activation after every hidden dense layer.</summary>
    public Activation Activation { get; }

    /// <summary>Number of dense layers: hidden layers plus the output layer.</summary>
    public int DenseLayerCount => HiddenSizes.Count + 1;

    /// <summary>Sizes from input to output, e.g. <c>2-32-32-3</c>.</summary>
    public string Describe() => $"{InputSize}-{string.Join("-", HiddenSizes)}{(HiddenSizes.Count > 0 ? "-" : string.Empty)}{OutputSize} {Activation.Name}";

    /// <summary>
    /// Builds the network and initializes every dense weight with <paramref name="initializer"/>
    /// from <paramref name="rng"/>, layer by layer in order, so the same seed gives the same weights.
    /// </summary>
    public Sequential<T> Build<T>(Initializer initializer, SeededRandom rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = BuildUninitialized<T>();
        foreach (var layer in network.Layers)
        {
            if (layer is Dense<T> dense)
            {
                initializer.Initialize(dense.Weight.Value, rng);
                initializer.InitializeBias(dense.Bias.Value);
            }
        }

        return network;
    }

    /// <summary>Builds the network with all weights zero, for a loader to fill.</summary>
    public Sequential<T> BuildUninitialized<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layers = new List<ILayer<T>>();
        int width = InputSize;
        foreach (int size in HiddenSizes)
        {
            layers.Add(new Dense<T>(width, size));
            layers.Add(Activation.CreateLayer<T>(size));
            width = size;
        }

        layers.Add(new Dense<T>(width, OutputSize));

        // The first layer's input is data: nobody reads its gradient.
        ((Dense<T>)layers[0]).ComputesInputGradient = false;
        return new Sequential<T>(layers);
    }

    /// <summary>
    /// Parses hidden sizes: <c>10x32</c> (ten layers of 32) or <c>64,32,16</c>; <c>none</c> or an
    /// empty string for no hidden layer.
    /// </summary>
    public static IReadOnlyList<int> ParseLayers(string text)
    {
        string spec = text.Trim();
        if (spec.Length == 0 || spec.Equals("none", StringComparison.OrdinalIgnoreCase))
            return [];
        int x = spec.IndexOfAny(['x', 'X']);
        if (x > 0)
        {
            int count = ParseSize(spec[..x], spec, "layer count");
            int width = ParseSize(spec[(x + 1)..], spec, "width");
            var sizes = new int[count];
            Array.Fill(sizes, width);
            return sizes;
        }

        var parts = spec.Split(',');
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            result[i] = ParseSize(parts[i], spec, "width");
        return result;
    }

    private static int ParseSize(string part, string spec, string what)
    {
        if (int.TryParse(part.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value) && value >= 1 && value <= 1_000_000)
            return value;
        throw new GradscopeException($"Invalid layers '{spec}': the {what} '{part.Trim()}' is not a whole number from 1 to 1000000. Use e.g. '10x32' or '64,32,16'.");
    }
}
