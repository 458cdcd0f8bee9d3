using Gradscope.Activations;
using Gradscope.Theory;
using Xunit.Abstractions;

namespace Gradscope.Tests.Theory;

public sealed class SignalPropagationMeasurementTests(ITestOutputHelper output)
{
    // Mean field: delta_l = phi'(h_l) * W_{l+1}^T delta_{l+1}. With W's entries N(0, sigma_w^2 / N)
    // independent of delta_{l+1} (the gradient-independence assumption, accurate at large N),
    // E||W^T delta||^2 = sigma_w^2 ||delta||^2, and with h_l ~ N(0, q*) at every layer (inputs start
    // at q*), E||delta_l||^2 = sigma_w^2 E[phi'(sqrt(q*) z)^2] E||delta_{l+1}||^2 = chi_1 E||delta_{l+1}||^2.
    // The Jacobian J = D_L W_L ... D_1 W_1 multiplies those factors L times: tr(J^T J) / N ~ chi_1^L.
    // Width 512, 10 layers, 3 seeds, 4 inputs each; seeded, so the numbers are reproducible.
    [Theory]
    [InlineData("tanh", 0.8, 0.05)]
    [InlineData("tanh", 1.5, 0.05)]
    [InlineData("tanh", 2.5, 0.05)]
    [InlineData("relu", 2.0, 0.0)]
    public void WideRandomNetwork_MatchesChi1AndChi1PowerL(string name, double weightVariance, double biasVariance)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var report = SignalPropagationMeasurement.Measure(new SignalPropagationConfig
        {
            Activation = Activation.Parse(name),
            WeightVariance = weightVariance,
            BiasVariance = biasVariance,
            Depth = 10,
            Width = 512,
            Seeds = 3,
            BatchSize = 4,
            JacobianInputs = 4,
            Probes = 16,
            LanczosSteps = 20,
        });
        double chi1 = report.Prediction.Chi1;
        var jacobian = report.Jacobian!;
        double jacobianError = (jacobian.MeanSquaredSingularValue / report.Prediction.PredictedJacobianMeanSquare) - 1;
        output.WriteLine($"{name} sigma_w^2={weightVariance} sigma_b^2={biasVariance}: chi_1={chi1:F5} measured ratio={report.MeanLayerRatio:F5} ({report.RatioRelativeError:+0.00%;-0.00%}); " +
            $"chi_1^L={report.Prediction.PredictedJacobianMeanSquare:G5} measured mean sigma^2={jacobian.MeanSquaredSingularValue:G5} ({jacobianError:+0.0%;-0.0%}); {watch.ElapsedMilliseconds} ms");
        Assert.Equal("hutchinson-lanczos", jacobian.Method);
        Assert.True(Math.Abs(report.RatioRelativeError) < 0.05, $"ratio {report.MeanLayerRatio} vs chi_1 {chi1}");
        Assert.True(Math.Abs(jacobianError) < 0.10, $"mean squared singular value {jacobian.MeanSquaredSingularValue} vs chi_1^L {report.Prediction.PredictedJacobianMeanSquare}");
        Assert.Equal(9, report.LayerRatios.Length);
    }

    // Dynamical isometry (Pennington, Schoenholz and Ganguli 2017): at criticality with small q*
    // (sigma_b^2 = 1e-3) tanh works near its linear regime, so with orthogonal W every D_l W_l is
    // close to orthogonal and the singular values of J bunch near 1; Gaussian W have Marchenko-
    // Pastur-spread singular values that multiply into a wide spectrum. ReLU's D_l zeroes about
    // half the units whatever the weights, so its spectrum stays wide even with orthogonal W.
    [Fact]
    public void OrthogonalTanhAtCriticality_IsNearIsometric_WhereGaussianAndReluAreNot()
    {
        var tanh = Activation.Parse("tanh");
        double critical = MeanField.CriticalWeightVariance(tanh, 1e-3)!.Value;
        var gaussian = Spectrum(tanh, critical, 1e-3, WeightDistribution.Gaussian);
        var orthogonal = Spectrum(tanh, critical, 1e-3, WeightDistribution.Orthogonal);
        var relu = Spectrum(Activation.Parse("relu"), 2.0, 0.0, WeightDistribution.Orthogonal);
        output.WriteLine($"tanh sigma_w^2={critical:F4}: Gaussian spread={gaussian.RelativeSpread:F3} cond={gaussian.ConditionNumber:G3}; orthogonal spread={orthogonal.RelativeSpread:F3} " +
            $"cond={orthogonal.ConditionNumber:G3} sigma in [{orthogonal.MinSingularValue:F3}, {orthogonal.MaxSingularValue:F3}]; relu orthogonal spread={relu.RelativeSpread:F3} cond={relu.ConditionNumber:G3}");
        Assert.True(orthogonal.RelativeSpread < 0.3 * gaussian.RelativeSpread);
        Assert.True(orthogonal.ConditionNumber < 100 && gaussian.ConditionNumber > 1e4);
        Assert.True(relu.RelativeSpread > 3 * orthogonal.RelativeSpread);
        Assert.Equal(256, orthogonal.SingularValues!.Length);
    }

    // A linear network with orthogonal weights and sigma_w^2 = 1 has an orthogonal Jacobian: every
    // singular value is 1, and with Rademacher probes ||J v||^2 = ||v||^2 = N exactly, so both
    // methods must report mean 1, spread 0, extremes 1.
    [Fact]
    public void LinearOrthogonalNetwork_HasUnitSingularValues_ByBothMethods()
    {
        foreach (var method in new[] { JacobianMethod.Exact, JacobianMethod.Iterative })
        {
            var j = Measure(Activation.Parse("identity"), 1.0, 0.0, WeightDistribution.Orthogonal, method, width: 48, depth: 6).Jacobian!;
            Assert.Equal(1.0, j.MeanSquaredSingularValue, 10);
            Assert.True(j.SquaredSingularValueVariance < 1e-10);
            Assert.Equal(1.0, j.MaxSingularValue, 8);
            Assert.Equal(1.0, j.MinSingularValue, 8);
        }
    }

    // Lanczos with as many steps as the width spans the whole space: its Ritz values are all the
    // eigenvalues of J^T J, so the extremes must match the exact SVD of the same network.
    [Fact]
    public void Lanczos_WithFullSteps_MatchesExactExtremes()
    {
        var tanh = Activation.Parse("tanh");
        var exact = Measure(tanh, 1.5, 0.05, WeightDistribution.Gaussian, JacobianMethod.Exact, width: 32, depth: 5, lanczos: 32).SeedJacobians[0];
        var iterative = Measure(tanh, 1.5, 0.05, WeightDistribution.Gaussian, JacobianMethod.Iterative, width: 32, depth: 5, lanczos: 32, inputs: 1).SeedJacobians[0];
        Assert.Equal(exact.SingularValues![0], exact.MaxSingularValue);
        Assert.True(Math.Abs(iterative.MaxSingularValue - exact.MaxSingularValue) < 1e-9 * exact.MaxSingularValue);
        Assert.True(Math.Abs(iterative.MinSingularValue - exact.MinSingularValue) < 1e-6 * exact.MaxSingularValue);
    }

    [Fact]
    public void Measure_RejectsDepthOne()
    {
        var e = Assert.Throws<GradscopeException>(() => SignalPropagationMeasurement.Measure(new SignalPropagationConfig
        {
            Activation = Activation.Parse("tanh"),
            WeightVariance = 1,
            BiasVariance = 0,
            Depth = 1,
        }));
        Assert.Equal("Depth must be at least 2 (ratios compare consecutive layers); got 1.", e.Message);
    }

    private static JacobianSpectrum Spectrum(Activation activation, double weightVariance, double biasVariance, WeightDistribution weights) =>
        Measure(activation, weightVariance, biasVariance, weights, JacobianMethod.Exact, width: 128, depth: 10).Jacobian!;

    private static SignalPropagationReport Measure(
        Activation activation, double weightVariance, double biasVariance, WeightDistribution weights, JacobianMethod method,
        int width, int depth, int lanczos = 60, int inputs = 2) =>
        SignalPropagationMeasurement.Measure(new SignalPropagationConfig
        {
            Activation = activation,
            WeightVariance = weightVariance,
            BiasVariance = biasVariance,
            Depth = depth,
            Width = width,
            Seeds = 1,
            BatchSize = 2,
            JacobianInputs = inputs,
            Weights = weights,
            Jacobian = method,
            LanczosSteps = lanczos,
        });
}
