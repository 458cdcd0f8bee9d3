using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Tensors;

namespace Gradscope.Lab.Experiments;

/// <summary>The sizes of one version (quick or full) of the squashing experiment.</summary>
internal sealed record SquashingSizes(int Width, int[] Depths, int Seeds, int Draws, int BatchSize, int GridSide, int Pairs)
{
    /// <summary>Edge of the input square [-Extent, Extent]^2 the batch and the grid cover (standardized inputs).</summary>
    public const double Extent = 2.0;

    /// <summary>Logits, as the spiral task's three classes.</summary>
    public const int Outputs = 3;

    public static SquashingSizes Quick { get; } = new(64, [5, 10, 20], 1, 3, 256, 32, 100);

    public static SquashingSizes Full { get; } = new(64, [5, 10, 20], 3, 10, 1024, 64, 400);
}

/// <summary>An activation with the init it is paired with and that init's mean-field variances.</summary>
internal sealed record SquashingFamily(string Label, Activation Activation, Initializer Initializer, double WeightVariance, double BiasVariance)
{
    /// <summary>Sigmoid with the standard init U[-1/sqrt(n), 1/sqrt(n)]: variance 1/(3n), so sigma_w^2 = 1/3; biases 0.</summary>
    public static SquashingFamily Sigmoid { get; } = new("sigmoid+standard", Activation.Parse("sigmoid"), new Standard(), 1.0 / 3, 0);

    /// <summary>ReLU with He normal: sigma_w^2 = 2; biases 0.</summary>
    public static SquashingFamily Relu { get; } = new("relu+he-normal", Activation.Parse("relu"), new HeNormal(), 2.0, 0);
}

/// <summary>
/// Everything measured on one untrained network. Layer index l runs over the dense layers: 0 ..
/// depth - 1 are the hidden ones, depth is the logits' layer. Spread and Size are the grid's
/// spread and RMS norm after each layer (see <see cref="GridSpread"/>).
/// </summary>
internal sealed record NetworkMeasurement(
    SquashingFamily Family,
    int Depth,
    int Seed,
    double[] Movement10,
    double[] Movement100,
    double[] GradientRms,
    double[] ExampleGradientRms,
    double InputSpread,
    double[] Spread,
    double[] Size,
    double[] MeasuredCorrelation,
    double[] PredictedCorrelation,
    Dictionary<int, double[]> Images);

/// <summary>Builds one network and takes every measurement of the experiment on it.</summary>
internal static class SquashingMeasurement
{
    /// <summary>Hidden layers (1-based) whose grid image is kept, where the network has them.</summary>
    public static readonly int[] ImageLayers = [1, 3, 5, 10];

    public static NetworkMeasurement Measure(SquashingFamily family, int depth, int seed, SquashingSizes sizes)
    {
        var random = new SeededRandom(seed * 1000 + depth);
        var network = new SquashingNetwork(family.Activation, family.Initializer, sizes.Width, depth, SquashingSizes.Outputs, random);
        var batch = UniformBatch(sizes.BatchSize, random);
        var labels = new int[sizes.BatchSize];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = random.NextInt(SquashingSizes.Outputs);

        var move10 = new double[depth + 1];
        var move100 = new double[depth + 1];
        for (int l = 0; l <= depth; l++)
        {
            move10[l] = LayerSensitivity.MeanMovement(network.Model, network.Dense[l], batch, 0.1, sizes.Draws, random);
            move100[l] = LayerSensitivity.MeanMovement(network.Model, network.Dense[l], batch, 1.0, sizes.Draws, random);
        }

        var gradients = LayerSensitivity.WeightGradientRms(network.Model, network.Dense, batch, labels);
        var exampleGradients = new double[depth + 1];
        for (int l = 0; l <= depth; l++)
            exampleGradients[l] = LayerSensitivity.PerExampleGradientRms(network.Dense[l], l == 0 ? batch : network.Hidden[l - 1].Output);
        var grid = GridSpread.Grid(sizes.GridSide, -SquashingSizes.Extent, SquashingSizes.Extent);
        var pairs = GridSpread.Pairs(grid.Rows, sizes.Pairs, random);
        var (spread, size, measured, images) = PushGrid(network, grid, pairs);
        var predicted = Predicted(family, grid, pairs, depth);
        return new NetworkMeasurement(family, depth, seed, move10, move100, gradients, exampleGradients, GridSpread.Spread(grid), spread, size, measured, predicted, images);
    }

    // Spread and size of each hidden layer's output and of the logits; the pre-activations' mean cosine over the pairs.
    private static (double[] Spread, double[] Size, double[] Correlation, Dictionary<int, double[]> Images) PushGrid(SquashingNetwork network, Matrix<double> grid, (int A, int B)[] pairs)
    {
        var logits = network.Model.Forward(grid, training: false);
        int depth = network.Depth;
        var spread = new double[depth + 1];
        var size = new double[depth + 1];
        var correlation = new double[depth];
        var images = new Dictionary<int, double[]>();
        for (int l = 0; l < depth; l++)
        {
            spread[l] = GridSpread.Spread(network.Hidden[l].Output);
            size[l] = GridSpread.RootMeanSquareNorm(network.Hidden[l].Output);
            correlation[l] = GridSpread.MeanCosine(network.Dense[l].Output, pairs);
            if (Array.IndexOf(ImageLayers, l + 1) >= 0)
                images[l + 1] = GridSpread.CentredUnit(network.Hidden[l].Output, WidestUnit(network.Hidden[l].Output));
        }

        spread[depth] = GridSpread.Spread(logits);
        size[depth] = GridSpread.RootMeanSquareNorm(logits);
        return (spread, size, correlation, images);
    }

    private static double[] Predicted(SquashingFamily family, Matrix<double> grid, (int A, int B)[] pairs, int depth)
    {
        var map = new PairCorrelationMap(family.Activation, family.WeightVariance, family.BiasVariance);
        var sum = new double[depth];
        var count = new int[depth];
        foreach (var (a, b) in pairs)
        {
            var c = map.Correlations(grid.Row(a), grid.Row(b), depth);
            for (int l = 0; l < depth; l++)
            {
                if (!double.IsNaN(c[l]))
                {
                    sum[l] += c[l];
                    count[l]++;
                }
            }
        }

        for (int l = 0; l < depth; l++)
            sum[l] = count[l] == 0 ? double.NaN : sum[l] / count[l];
        return sum;
    }

    // The unit whose values vary most over the grid: the clearest picture of the layer's image.
    private static int WidestUnit(Matrix<double> outputs)
    {
        int best = 0;
        double bestVariance = -1;
        for (int k = 0; k < outputs.Cols; k++)
        {
            var values = GridSpread.CentredUnit(outputs, k);
            double variance = 0;
            foreach (double v in values)
                variance += v * v;
            if (variance > bestVariance)
                (best, bestVariance) = (k, variance);
        }

        return best;
    }

    private static Matrix<double> UniformBatch(int size, SeededRandom random)
    {
        var batch = new Matrix<double>(size, SquashingNetwork.InputSize);
        var span = batch.Span;
        for (int i = 0; i < span.Length; i++)
            span[i] = random.NextUniform(-SquashingSizes.Extent, SquashingSizes.Extent);
        return batch;
    }
}
