using Gradscope.Activations;
using Gradscope.Layers;

namespace Gradscope.Theory;

/// <summary>
/// A deep random network of constant width: L blocks of Dense then activation, in double, with
/// the weights of mean-field theory. <c>h_l = W_l x_{l-1} + b_l</c>, <c>x_l = phi(h_l)</c>.
/// </summary>
internal sealed class RandomNetwork
{
    public RandomNetwork(Activation activation, int width, int depth, double weightVariance, double biasVariance, bool orthogonal, SeededRandom random)
    {
        Activation = activation;
        Dense = new Dense<double>[depth];
        var layers = new List<ILayer<double>>(2 * depth);
        for (int l = 0; l < depth; l++)
        {
            var dense = new Dense<double>(width, width) { ComputesInputGradient = l > 0 };
            if (orthogonal)
                RandomWeights.FillOrthogonal(dense.Weight.Value, weightVariance, random);
            else
                RandomWeights.FillGaussian(dense.Weight.Value, weightVariance, random);
            RandomWeights.FillBias(dense.Bias.Value, biasVariance, random);
            Dense[l] = dense;
            layers.Add(dense);
            layers.Add(activation.CreateLayer<double>(width));
        }

        Model = new Sequential<double>(layers);
    }

    public Activation Activation { get; }

    /// <summary>The dense layers; after a backward pass each one's GradOutput is delta_l = dL/dh_l.</summary>
    public Dense<double>[] Dense { get; }

    public Sequential<double> Model { get; }

    public int Width => Dense[0].OutputSize;

    public int Depth => Dense.Length;

    /// <summary>D_l = phi'(h_l) for one sample of the last forward pass, one array per layer.</summary>
    public double[][] LocalDerivatives(int sample)
    {
        var result = new double[Depth][];
        for (int l = 0; l < Depth; l++)
        {
            ReadOnlySpan<double> h = Dense[l].Output.Row(sample);
            var d = new double[h.Length];
            for (int i = 0; i < h.Length; i++)
                d[i] = Activation.Derivative(h[i]);
            result[l] = d;
        }

        return result;
    }
}
