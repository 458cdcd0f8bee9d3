using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// A plain network of the squashing experiment, in double and untrained: <c>Depth</c> hidden
/// blocks (Dense then activation) of one width on a 2-D input, then a Dense layer to the logits.
/// Holds the layers so one layer's weights can be perturbed and the network run again.
/// </summary>
internal sealed class SquashingNetwork
{
    public SquashingNetwork(Activation activation, Initializer initializer, int width, int depth, int outputs, SeededRandom random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        Activation = activation;
        Dense = new Dense<double>[depth + 1];
        Hidden = new ActivationLayer<double>[depth];
        var layers = new List<ILayer<double>>((2 * depth) + 1);
        for (int l = 0; l <= depth; l++)
        {
            int inputs = l == 0 ? InputSize : width;
            var dense = new Dense<double>(inputs, l == depth ? outputs : width);
            initializer.Initialize(dense.Weight.Value, random);
            initializer.InitializeBias(dense.Bias.Value);
            Dense[l] = dense;
            layers.Add(dense);
            if (l < depth)
            {
                Hidden[l] = activation.CreateLayer<double>(width);
                layers.Add(Hidden[l]);
            }
        }

        Model = new Sequential<double>(layers);
    }

    /// <summary>Features per input point: the plane, so a grid over it is an image.</summary>
    public const int InputSize = 2;

    public Activation Activation { get; }

    /// <summary>The dense layers: hidden ones first, the logits' layer last.</summary>
    public Dense<double>[] Dense { get; }

    /// <summary>The hidden activation layers; after a forward pass each one's Output is that layer's output x_l.</summary>
    public ActivationLayer<double>[] Hidden { get; }

    public Sequential<double> Model { get; }

    /// <summary>Number of hidden layers.</summary>
    public int Depth => Hidden.Length;

    /// <summary>The logits for <paramref name="input"/>, a copy the next pass does not overwrite.</summary>
    public Matrix<double> Logits(Matrix<double> input) => Model.Forward(input, training: false).Clone();
}
