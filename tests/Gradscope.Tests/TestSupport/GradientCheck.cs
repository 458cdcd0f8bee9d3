using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Tests.TestSupport;

/// <summary>
/// Central finite differences in double against a layer's analytic backward pass. The scalar
/// loss is L = sum(R * layer(X)) for a fixed random R, so dL/dOutput = R and every output element
/// contributes with a different weight.
/// </summary>
internal static class GradientCheck
{
    /// <summary>Step for the central difference: truncation error ~h^2, rounding error ~1e-16/h.</summary>
    public const double Step = 1e-5;

    /// <summary>Gradients smaller than this are compared absolutely, since their relative error is noise.</summary>
    public const double Floor = 1e-3;

    /// <summary>
    /// Largest relative error |analytic - numeric| / max(|analytic|, |numeric|, Floor) over every
    /// input element and every parameter element.
    /// </summary>
    public static double MaxRelativeError(ILayer<double> layer, Matrix<double> input, int seed = 7)
    {
        var rng = new SeededRandom(seed);
        var output = layer.Forward(input, training: true);
        var weights = new Matrix<double>(output.Rows, output.Cols);
        for (int i = 0; i < weights.Length; i++)
            weights.Span[i] = rng.NextGaussian();

        foreach (var p in layer.Parameters)
            p.Grad.Clear();
        var gradInput = layer.Backward(weights).Clone();

        double worst = 0;
        if (gradInput.Length > 0)
            worst = Compare(layer, input, input.Span, gradInput.Span, weights, worst);
        foreach (var p in layer.Parameters)
            worst = Compare(layer, input, p.Value.Span, p.Grad.Clone().Span, weights, worst);
        return worst;
    }

    private static double Compare(ILayer<double> layer, Matrix<double> input, Span<double> values, Span<double> analytic, Matrix<double> weights, double worst)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double saved = values[i];
            values[i] = saved + Step;
            double plus = Loss(layer, input, weights);
            values[i] = saved - Step;
            double minus = Loss(layer, input, weights);
            values[i] = saved;
            double numeric = (plus - minus) / (2 * Step);
            double scale = Math.Max(Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric)), Floor);
            worst = Math.Max(worst, Math.Abs(analytic[i] - numeric) / scale);
        }

        return worst;
    }

    private static double Loss(ILayer<double> layer, Matrix<double> input, Matrix<double> weights)
    {
        var output = layer.Forward(input, training: true);
        double sum = 0;
        for (int i = 0; i < output.Length; i++)
            sum += output.Span[i] * weights.Span[i];
        return sum;
    }

    /// <summary>A [rows, cols] matrix of N(0, std^2) values, kept at least <paramref name="kinkMargin"/> away from the given kinks.</summary>
    public static Matrix<double> RandomInput(int rows, int cols, int seed, double std = 1.0, double kinkMargin = 0.0, params double[] kinks)
    {
        var rng = new SeededRandom(seed);
        var m = new Matrix<double>(rows, cols);
        for (int i = 0; i < m.Length; i++)
        {
            double v;
            do
                v = rng.NextGaussian(0, std);
            while (NearKink(v, kinkMargin, kinks));
            m.Span[i] = v;
        }

        return m;
    }

    private static bool NearKink(double v, double margin, double[] kinks)
    {
        foreach (double k in kinks)
        {
            if (Math.Abs(v - k) < margin)
                return true;
        }

        return false;
    }
}
