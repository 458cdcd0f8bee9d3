using Gradscope.Data;
using Gradscope.Layers;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Tensors;
using Gradscope.Training;

namespace Gradscope.Tests.TestSupport;

/// <summary>
/// The whole network's gradient as <see cref="Trainer{T}"/> computes it in one step (its label
/// loading, loss and backward pass), against central differences in double of the mean softmax
/// cross-entropy computed here, independently of the engine's loss, for every element of every
/// tensor. A data set with <see cref="Dataset.StepLabels"/> is scored per output row
/// <c>b * Steps + t</c>; any other by its row labels.
/// </summary>
internal static class NetworkGradientCheck
{
    /// <summary>Largest relative error |analytic - numeric| / max(|analytic|, |numeric|, floor), with <see cref="GradientCheck"/>'s step and floor.</summary>
    public static double MaxRelativeError(Sequential<double> network, Dataset data)
    {
        var rows = new int[data.Count];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = i;
        var analytic = TrainerGradients(network, data, rows);

        var input = new Matrix<double>(data.Count, data.FeatureCount);
        data.CopyRows<double>(rows, input.Span);
        int[] labels = data.StepLabels?.Values ?? data.Labels;
        double worst = 0;
        for (int p = 0; p < network.Parameters.Count; p++)
        {
            Span<double> values = network.Parameters[p].Value.Span;
            for (int i = 0; i < values.Length; i++)
            {
                double saved = values[i];
                values[i] = saved + GradientCheck.Step;
                double plus = MeanCrossEntropy(network, input, labels);
                values[i] = saved - GradientCheck.Step;
                double minus = MeanCrossEntropy(network, input, labels);
                values[i] = saved;
                double numeric = (plus - minus) / (2 * GradientCheck.Step);
                double scale = Math.Max(Math.Max(Math.Abs(analytic[p][i]), Math.Abs(numeric)), GradientCheck.Floor);
                worst = Math.Max(worst, Math.Abs(analytic[p][i] - numeric) / scale);
            }
        }

        return worst;
    }

    // One trainer step computes the gradients; the update it then makes is undone.
    private static double[][] TrainerGradients(Sequential<double> network, Dataset data, int[] rows)
    {
        var saved = new double[network.Parameters.Count][];
        for (int p = 0; p < saved.Length; p++)
            saved[p] = network.Parameters[p].Value.Span.ToArray();
        var trainer = new Trainer<double>(network, Loss.Parse<double>("cross-entropy"),
            Optimizer.Create<double>("sgd", new OptimizerOptions { LearningRate = 0.1 }), new TrainerOptions { BatchSize = rows.Length });
        trainer.Step(data, rows);
        var gradients = new double[saved.Length][];
        for (int p = 0; p < saved.Length; p++)
        {
            gradients[p] = network.Parameters[p].Grad.Span.ToArray();
            saved[p].CopyTo(network.Parameters[p].Value.Span);
        }

        return gradients;
    }

    // Mean over output rows of logsumexp(z) - z[label].
    private static double MeanCrossEntropy(Sequential<double> network, Matrix<double> input, int[] labels)
    {
        var output = network.Forward(input, training: true);
        Assert.Equal(labels.Length, output.Rows);
        double sum = 0;
        for (int r = 0; r < output.Rows; r++)
        {
            ReadOnlySpan<double> z = output.Row(r);
            double max = double.NegativeInfinity;
            foreach (double v in z)
                max = Math.Max(max, v);
            double exp = 0;
            foreach (double v in z)
                exp += Math.Exp(v - max);
            sum += max + Math.Log(exp) - z[labels[r]];
        }

        return sum / output.Rows;
    }

    /// <summary>
    /// <paramref name="count"/> random sequences of <paramref name="steps"/> steps of
    /// <paramref name="features"/> features with a random label per step (scored from
    /// <paramref name="scoredFrom"/>) or, when <paramref name="perStep"/> is false, per sequence.
    /// </summary>
    public static Dataset RandomSequences(int count, int steps, int features, int classes, bool perStep, int seed, int scoredFrom = 0)
    {
        var rng = new SeededRandom(seed);
        var values = new double[count * steps * features];
        for (int i = 0; i < values.Length; i++)
            values[i] = rng.NextGaussian();
        var rowLabels = new int[count];
        var stepLabels = new int[count * steps];
        for (int i = 0; i < stepLabels.Length; i++)
            stepLabels[i] = rng.NextInt(classes);
        if (!perStep)
        {
            for (int i = 0; i < count; i++)
                rowLabels[i] = rng.NextInt(classes);
        }

        return new Dataset("random", values, rowLabels, steps * features, classes)
        {
            Sequence = new SequenceShape(steps, features),
            StepLabels = perStep ? new StepLabels(stepLabels, steps, scoredFrom) : null,
        };
    }
}
