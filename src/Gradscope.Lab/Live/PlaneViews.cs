using Gradscope.Layers;
using Gradscope.Serialization;
using Gradscope.Tensors;

namespace Gradscope.Lab.Live;

/// <summary>
/// What a planar run's network does to its input plane, computed on a copy of the network loaded
/// from a model snapshot (never the live one): class probabilities over a grid, the grid's image
/// after each hidden layer, and how far the output moves when one layer's weights are perturbed.
/// </summary>
internal static class PlaneViews
{
    /// <summary>Grid side of the batch the sensitivity is measured on.</summary>
    public const int SensitivityGrid = 24;

    /// <summary>Perturbations averaged per layer.</summary>
    public const int SensitivityDraws = 3;

    /// <summary>Class probabilities (softmax of the logits) on a <paramref name="grid"/>-point square lattice over the sample's box.</summary>
    public static DecisionBoundary Boundary(LoadedModel<double> model, PlaneSample sample, int grid, long step)
    {
        var logits = model.Network.Forward(Lattice(model, sample, grid), training: false);
        var probabilities = new double[logits.Rows][];
        for (int r = 0; r < logits.Rows; r++)
            probabilities[r] = Softmax(logits.Row(r));
        return new DecisionBoundary(grid, sample.XMin, sample.XMax, sample.YMin, sample.YMax, logits.Cols, step, probabilities, sample.Points, sample.Labels);
    }

    /// <summary>
    /// The lattice pushed through the network's top-level layers one by one; the image after each
    /// hidden activation or residual block, on its first two principal directions, with its total
    /// variance relative to the (standardized) input's.
    /// </summary>
    public static SquashingView Squashing(LoadedModel<double> model, PlaneSample sample, int grid, long step)
    {
        var x = Lattice(model, sample, grid);
        double inputVariance = PrincipalPlane.Covariance(x.Span.ToArray(), x.Rows, x.Cols).TotalVariance;
        var layers = new List<SquashedLayer>();
        var top = model.Network.Layers;
        int dense = 0;
        for (int i = 0; i < top.Count; i++)
        {
            dense += top[i] is Dense<double> ? 1 : 0;
            x = top[i].Forward(x, training: false);
            if (top[i] is not (ActivationLayer<double> or Residual<double>))
                continue;
            double[] values = x.Span.ToArray();
            double variance = PrincipalPlane.Covariance(values, x.Rows, x.Cols).TotalVariance;
            string name = top[i] is Residual<double> ? $"block {i}" : $"dense {dense}";
            layers.Add(new SquashedLayer(layers.Count + 1, name, ActivationOf(top[i]), variance / inputVariance, PrincipalPlane.Project(values, x.Rows, x.Cols)));
        }

        return new SquashingView(grid, step, layers);
    }

    /// <summary>
    /// For each dense layer along the main path (the trace's layers, 1-based), the RMS change of the
    /// logits over a lattice when its weights get Gaussian noise of norm <paramref name="epsilon"/>
    /// times theirs (seeded, averaged over a few draws), divided by <paramref name="epsilon"/>.
    /// </summary>
    public static LayerSensitivity Sensitivity(LoadedModel<double> model, PlaneSample sample, int layer, double epsilon)
    {
        var dense = MainPathDense(model.Network);
        if (layer < 1 || layer > dense.Count)
            throw new GradscopeException($"layer must be between 1 and {dense.Count} (the network's dense layers); got {layer}.");
        var batch = Lattice(model, sample, SensitivityGrid);
        var byLayer = new double[dense.Count];
        for (int l = 0; l < dense.Count; l++)
        {
            var random = new SeededRandom(1000 + l);
            byLayer[l] = Experiments.LayerSensitivity.MeanMovement(model.Network, dense[l], batch, epsilon, SensitivityDraws, random) / epsilon;
        }

        return new LayerSensitivity(layer, epsilon, byLayer[layer - 1], byLayer);
    }

    /// <summary>The dense layers on the main path, input to output (skip projections left out), as the monitor numbers them.</summary>
    public static IReadOnlyList<Dense<double>> MainPathDense(Sequential<double> network)
    {
        var result = new List<Dense<double>>();
        foreach (var leaf in LayerTree.Leaves(network))
        {
            if (leaf.Layer is Dense<double> dense && !leaf.OnSkipPath)
                result.Add(dense);
        }

        return result;
    }

    // Row r * grid + c is (x = column c from XMin, y = row r from YMin up), standardized as in training.
    private static Matrix<double> Lattice(LoadedModel<double> model, PlaneSample sample, int grid)
    {
        var lattice = new Matrix<double>(grid * grid, 2);
        double dx = (sample.XMax - sample.XMin) / (grid - 1), dy = (sample.YMax - sample.YMin) / (grid - 1);
        for (int r = 0; r < grid; r++)
        {
            for (int c = 0; c < grid; c++)
            {
                lattice[(r * grid) + c, 0] = Standardized(model, 0, sample.XMin + (c * dx));
                lattice[(r * grid) + c, 1] = Standardized(model, 1, sample.YMin + (r * dy));
            }
        }

        return lattice;
    }

    private static double Standardized(LoadedModel<double> model, int feature, double value) =>
        model.Standardizer is { } s ? (value - s.Means[feature]) / s.Deviations[feature] : value;

    private static double[] Softmax(ReadOnlySpan<double> logits)
    {
        double max = double.NegativeInfinity;
        foreach (double z in logits)
            max = Math.Max(max, z);
        var p = new double[logits.Length];
        double total = 0;
        for (int k = 0; k < p.Length; k++)
        {
            p[k] = Math.Exp(logits[k] - max);
            total += p[k];
        }

        for (int k = 0; k < p.Length; k++)
            p[k] /= total;
        return p;
    }

    private static string ActivationOf(ILayer<double> layer)
    {
        if (layer is ActivationLayer<double> activation)
            return activation.Activation.Name;
        var inside = LayerTree.OfType<ActivationLayer<double>, double>(layer);
        return inside.Count == 0 ? "identity" : inside[^1].Activation.Name;
    }
}
