using System.Numerics.Tensors;
using Gradscope.Tensors;

namespace Gradscope.Theory;

/// <summary>
/// Measures what <see cref="MeanField"/> predicts, on actual random networks: the per-layer ratio
/// of back-propagated squared gradient norms (predicted chi_1) and the input-output Jacobian's
/// singular values (mean square predicted chi_1^L).
/// </summary>
/// <remarks>
/// Per seed: a network of <c>Depth</c> Dense + activation blocks of width N on an input of width N
/// with x_0 = phi(h_0), h_0 ~ N(0, q_in), so the first pre-activations already have variance q*
/// (no burn-in layers needed); one forward pass of the batch, then one backward pass from a
/// N(0, 1) gradient at the output. delta_l is each Dense layer's <c>GradOutput</c>.
/// </remarks>
public static class SignalPropagationMeasurement
{
    /// <summary>Runs the measurement.</summary>
    /// <exception cref="GradscopeException">A configuration value is out of range; the message names it.</exception>
    /// <exception cref="Memory.MemoryLimitException">One network of this width and depth needs more memory than the process may use.</exception>
    public static SignalPropagationReport Measure(SignalPropagationConfig config)
    {
        Validate(config);
        MeasurementMemory.Estimate(config).Ensure($"measuring random networks of width {config.Width} and depth {config.Depth}");
        var meanField = new MeanField(config.Activation, config.WeightVariance, config.BiasVariance);
        var prediction = meanField.Analyze(config.Depth);
        double inputLength = config.InputLength ?? DefaultInputLength(meanField.Status, meanField.QStar);
        int depth = config.Depth, seeds = config.Seeds;
        var ratios = new double[depth - 1];
        var norms = new double[depth];
        var seedMeans = new double[seeds];
        var spectra = new List<JacobianSpectrum>(seeds);
        double logGradientRatio = 0;
        for (int s = 0; s < seeds; s++)
        {
            var random = new SeededRandom(config.Seed + s);
            var network = new RandomNetwork(config.Activation, config.Width, depth, config.WeightVariance, config.BiasVariance,
                config.Weights == WeightDistribution.Orthogonal, random);
            double[] seedNorms = BackpropagatedNorms(network, config.BatchSize, inputLength, random);
            for (int l = 0; l < depth; l++)
                norms[l] += seedNorms[l] / seeds;
            for (int l = 0; l + 1 < depth; l++)
            {
                double r = seedNorms[l] / seedNorms[l + 1];
                ratios[l] += r / seeds;
                seedMeans[s] += r / (depth - 1);
            }

            logGradientRatio += 0.5 * Math.Log(seedNorms[0] / seedNorms[^1]) / seeds;
            if (JacobianOf(config, network, random) is { } spectrum)
                spectra.Add(spectrum);
        }

        return new SignalPropagationReport
        {
            Config = config,
            Prediction = prediction,
            InputLength = inputLength,
            LayerRatios = ratios,
            MeanLayerRatio = Mean(ratios),
            SeedMeanRatios = seedMeans,
            MeanLayerRatioStandardError = StandardError(seedMeans),
            DeltaSquaredNorms = norms,
            MeasuredGradientRatio = Math.Exp(logGradientRatio),
            Jacobian = spectra.Count > 0 ? JacobianSpectrum.Pool(spectra) : null,
            SeedJacobians = spectra,
        };
    }

    /// <summary>The input variance used when the configuration leaves it open (see <see cref="SignalPropagationConfig.InputLength"/>).</summary>
    public static double DefaultInputLength(FixedPointStatus status, double qStar) => status switch
    {
        FixedPointStatus.Converged => qStar,
        FixedPointStatus.Zero => 1e-6,
        FixedPointStatus.Degenerate => 1.0,
        _ => 1e4,
    };

    // E||delta_l||^2 over the batch for every layer, after one forward and one backward pass.
    private static double[] BackpropagatedNorms(RandomNetwork network, int batch, double inputLength, SeededRandom random)
    {
        int n = network.Width;
        var input = new Matrix<double>(batch, n);
        double std = Math.Sqrt(inputLength);
        foreach (ref double x in input.Span)
            x = network.Activation.Value(std * random.NextGaussian());
        network.Model.Forward(input, training: false);
        var gradient = new Matrix<double>(batch, n);
        foreach (ref double g in gradient.Span)
            g = random.NextGaussian();
        network.Model.Backward(gradient);

        var norms = new double[network.Depth];
        for (int l = 0; l < network.Depth; l++)
        {
            ReadOnlySpan<double> delta = network.Dense[l].GradOutput!.Span;
            norms[l] = TensorPrimitives.Dot(delta, delta) / batch;
        }

        return norms;
    }

    private static JacobianSpectrum? JacobianOf(SignalPropagationConfig config, RandomNetwork network, SeededRandom random)
    {
        var method = config.Jacobian == JacobianMethod.Auto
            ? (config.Width <= config.ExactWidthLimit ? JacobianMethod.Exact : JacobianMethod.Iterative)
            : config.Jacobian;
        if (method == JacobianMethod.None)
            return null;
        var inputs = new List<double[][]>();
        for (int sample = 0; sample < Math.Min(config.JacobianInputs, config.BatchSize); sample++)
            inputs.Add(network.LocalDerivatives(sample));
        return method == JacobianMethod.Exact
            ? JacobianEstimator.Exact(network, inputs)
            : JacobianEstimator.Iterative(network, inputs, config.Probes, config.LanczosSteps, random);
    }

    private static void Validate(SignalPropagationConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Require(config.Depth >= 2, $"Depth must be at least 2 (ratios compare consecutive layers); got {config.Depth}.");
        Require(config.Width >= 1, $"Width must be at least 1; got {config.Width}.");
        Require(config.Seeds >= 1, $"Seeds must be at least 1; got {config.Seeds}.");
        Require(config.BatchSize >= 1, $"Batch size must be at least 1; got {config.BatchSize}.");
        Require(config.JacobianInputs >= 1, $"Jacobian inputs must be at least 1; got {config.JacobianInputs}.");
        Require(config.Probes >= 1, $"Probes must be at least 1; got {config.Probes}.");
        Require(config.LanczosSteps >= 1, $"Lanczos steps must be at least 1; got {config.LanczosSteps}.");
        Require(config.InputLength is null || (config.InputLength > 0 && double.IsFinite(config.InputLength.Value)),
            $"Input length must be a positive finite variance; got {config.InputLength}.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new GradscopeException(message);
    }

    private static double Mean(double[] values)
    {
        double sum = 0;
        foreach (double v in values)
            sum += v;
        return sum / values.Length;
    }

    private static double StandardError(double[] values)
    {
        if (values.Length < 2)
            return 0;
        double mean = Mean(values), squares = 0;
        foreach (double v in values)
            squares += (v - mean) * (v - mean);
        return Math.Sqrt(squares / (values.Length - 1) / values.Length);
    }
}
