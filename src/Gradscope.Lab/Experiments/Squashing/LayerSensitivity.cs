using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// How far a network's output moves when one layer's weights are replaced by W + D: the
/// measurement behind "even a large change in the value of parameters for the early layers
/// doesn't have a big effect on the output".
/// </summary>
internal static class LayerSensitivity
{
    /// <summary>
    /// Mean over <paramref name="draws"/> random perturbations D (i.i.d. Gaussian entries scaled so
    /// ||D||_F = <paramref name="fraction"/> ||W||_F) of the RMS, over the batch and the outputs, of
    /// f_{W+D}(x) - f_W(x). The layer's weights are restored afterwards.
    /// </summary>
    public static double MeanMovement(Sequential<double> model, Dense<double> layer, Matrix<double> batch, double fraction, int draws, SeededRandom random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        var perturbation = new Matrix<double>(layer.OutputSize, layer.InputSize);
        double weightNorm = FrobeniusNorm(layer.Weight.Value);
        double sum = 0;
        for (int d = 0; d < draws; d++)
        {
            FillScaledGaussian(perturbation, fraction * weightNorm, random);
            sum += Movement(model, layer, batch, perturbation);
        }

        return sum / draws;
    }

    /// <summary>RMS over the batch and the outputs of f_{W+D}(x) - f_W(x) for the given D; W is restored.</summary>
    public static double Movement(Sequential<double> model, Dense<double> layer, Matrix<double> batch, Matrix<double> perturbation)
    {
        var before = model.Forward(batch, training: false).Clone();
        var weights = layer.Weight.Value.Span;
        var saved = weights.ToArray();
        ReadOnlySpan<double> d = perturbation.Span;
        for (int i = 0; i < weights.Length; i++)
            weights[i] += d[i];
        try
        {
            ReadOnlySpan<double> after = model.Forward(batch, training: false).Span;
            ReadOnlySpan<double> reference = before.Span;
            double sumOfSquares = 0;
            for (int i = 0; i < after.Length; i++)
                sumOfSquares += (after[i] - reference[i]) * (after[i] - reference[i]);
            return Math.Sqrt(sumOfSquares / after.Length);
        }
        finally
        {
            saved.CopyTo(weights);
        }
    }

    /// <summary>
    /// The RMS of each dense layer's weight gradient of the softmax cross-entropy, for the batch with
    /// <paramref name="labels"/>, from one backward pass (the gradient the trainer would see).
    /// </summary>
    public static double[] WeightGradientRms(Sequential<double> model, IReadOnlyList<Dense<double>> dense, Matrix<double> batch, int[] labels)
    {
        var logits = model.Forward(batch, training: false);
        var gradient = SoftmaxCrossEntropyGradient(logits, labels);
        model.ZeroGrad();
        model.Backward(gradient);
        var result = new double[dense.Count];
        for (int l = 0; l < dense.Count; l++)
        {
            var grad = dense[l].Weight.Grad;
            result[l] = FrobeniusNorm(grad) / Math.Sqrt(grad.Length);
        }

        return result;
    }

    /// <summary>
    /// After a backward pass of a batch's mean loss: the RMS over the batch of each example's own
    /// weight-gradient RMS, |delta_i| |x_i| / sqrt(out * in) for <paramref name="layer"/> (delta_i its
    /// row of GradOutput times the batch size, x_i its input row). Unlike the batch gradient it does
    /// not shrink when examples' gradients cancel, and a perturbation D of i.i.d. entries moves an
    /// example's output by ||D||_F times this RMS to first order, so it is what the movement tracks.
    /// </summary>
    public static double PerExampleGradientRms(Dense<double> layer, Matrix<double> input)
    {
        var delta = layer.GradOutput ?? throw new InvalidOperationException("Call after a backward pass.");
        double sum = 0;
        for (int r = 0; r < input.Rows; r++)
        {
            double d = SquaredNorm(delta.Row(r)) * input.Rows * input.Rows;
            sum += d * SquaredNorm(input.Row(r));
        }

        return Math.Sqrt(sum / input.Rows / layer.Weight.Value.Length);
    }

    /// <summary>dLoss/dLogits of the mean softmax cross-entropy: (softmax(z) - onehot(y)) / batch.</summary>
    public static Matrix<double> SoftmaxCrossEntropyGradient(Matrix<double> logits, int[] labels)
    {
        var gradient = new Matrix<double>(logits.Rows, logits.Cols);
        for (int r = 0; r < logits.Rows; r++)
        {
            ReadOnlySpan<double> z = logits.Row(r);
            var g = gradient.Row(r);
            double max = double.NegativeInfinity;
            foreach (double v in z)
                max = Math.Max(max, v);
            double total = 0;
            for (int k = 0; k < z.Length; k++)
            {
                g[k] = Math.Exp(z[k] - max);
                total += g[k];
            }

            for (int k = 0; k < z.Length; k++)
                g[k] = ((g[k] / total) - (k == labels[r] ? 1 : 0)) / logits.Rows;
        }

        return gradient;
    }

    public static double FrobeniusNorm(Matrix<double> matrix)
    {
        double sum = 0;
        foreach (double v in matrix.Span)
            sum += v * v;
        return Math.Sqrt(sum);
    }

    private static double SquaredNorm(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
            sum += v * v;
        return sum;
    }

    // I.i.d. Gaussian entries, rescaled to exactly the wanted Frobenius norm.
    private static void FillScaledGaussian(Matrix<double> matrix, double norm, SeededRandom random)
    {
        var span = matrix.Span;
        for (int i = 0; i < span.Length; i++)
            span[i] = random.NextGaussian();
        double scale = norm / FrobeniusNorm(matrix);
        for (int i = 0; i < span.Length; i++)
            span[i] *= scale;
    }
}
