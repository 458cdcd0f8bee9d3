using Gradscope.Data.Sequences;
using Gradscope.Recurrent;
using Gradscope.Tensors;

namespace Gradscope.Tests.TestSupport;

/// <summary>
/// <see cref="GradientCheck"/> for sequence models, which take a <see cref="Sequence{T}"/> rather
/// than a matrix: central differences in double on L = sum(R * model(X)) for a fixed random R,
/// against the analytic backpropagation through time, for every input element of every step and
/// every parameter element. Uses the same step and floor as <see cref="GradientCheck"/>.
/// </summary>
internal static class SequenceGradientCheck
{
    /// <summary>Largest relative error |analytic - numeric| / max(|analytic|, |numeric|, floor).</summary>
    public static double MaxRelativeError(SequenceModel<double> model, Sequence<double> input, int seed = 7)
    {
        var rng = new SeededRandom(seed);
        model.ComputesInputGradient = true;
        var output = model.Forward(input, training: true);
        var weights = new Matrix<double>(output.Rows, output.Cols);
        for (int i = 0; i < weights.Length; i++)
            weights.Span[i] = rng.NextGaussian();

        model.ZeroGradients();
        var gradInput = model.Backward(weights);
        double worst = 0;
        for (int t = 0; t < input.Length; t++)
            worst = Compare(model, input, input[t].Span, gradInput[t].Clone().Span, weights, worst);
        foreach (var p in model.Parameters)
            worst = Compare(model, input, p.Value.Span, p.Grad.Clone().Span, weights, worst);
        return worst;
    }

    private static double Compare(SequenceModel<double> model, Sequence<double> input, Span<double> values, Span<double> analytic, Matrix<double> weights, double worst)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double saved = values[i];
            values[i] = saved + GradientCheck.Step;
            double plus = Loss(model, input, weights);
            values[i] = saved - GradientCheck.Step;
            double minus = Loss(model, input, weights);
            values[i] = saved;
            double numeric = (plus - minus) / (2 * GradientCheck.Step);
            double scale = Math.Max(Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric)), GradientCheck.Floor);
            worst = Math.Max(worst, Math.Abs(analytic[i] - numeric) / scale);
        }

        return worst;
    }

    private static double Loss(SequenceModel<double> model, Sequence<double> input, Matrix<double> weights)
    {
        var output = model.Forward(input, training: true);
        double sum = 0;
        for (int i = 0; i < output.Length; i++)
            sum += output.Span[i] * weights.Span[i];
        return sum;
    }

    /// <summary>A batch of N(0, std^2) sequences.</summary>
    public static Sequence<double> RandomSequence(int batch, int length, int features, int seed, double std = 1.0)
    {
        var rng = new SeededRandom(seed);
        var s = new Sequence<double>(batch, length, features);
        for (int t = 0; t < length; t++)
        {
            Span<double> step = s[t].Span;
            for (int i = 0; i < step.Length; i++)
                step[i] = rng.NextGaussian(0, std);
        }

        return s;
    }
}
