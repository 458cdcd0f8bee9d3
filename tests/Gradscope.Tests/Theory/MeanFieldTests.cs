using Gradscope.Activations;
using Gradscope.Theory;

namespace Gradscope.Tests.Theory;

public sealed class MeanFieldTests
{
    private static readonly Activation Tanh = Activation.Parse("tanh");
    private static readonly Activation Relu = Activation.Parse("relu");

    // ReLU: relu'(x)^2 = 1{x > 0}, so E[relu'(sqrt(q*) z)^2] = P(z > 0) = 1/2 for every q* > 0, and
    // chi_1 = sigma_w^2 / 2 exactly; the length map is q -> sigma_w^2 q / 2 + sigma_b^2, so for
    // sigma_w^2 < 2 the fixed point is q* = sigma_b^2 / (1 - sigma_w^2 / 2).
    [Theory]
    [InlineData(1.0, 0.1)]
    [InlineData(1.5, 0.05)]
    [InlineData(1.9, 0.3)]
    public void Relu_Chi1_IsHalfTheWeightVariance(double weightVariance, double biasVariance)
    {
        var r = MeanField.Analyze(Relu, weightVariance, biasVariance, depth: 10);
        Assert.Equal(weightVariance / 2, r.Chi1, 12);
        Assert.Equal(FixedPointStatus.Converged, r.FixedPoint);
        Assert.Equal(biasVariance / (1 - (weightVariance / 2)), r.QStar!.Value, 10);
        Assert.Equal(SignalPhase.Ordered, r.Phase);
    }

    // Identity: phi' = 1, so chi_1 = sigma_w^2 E[1] = sigma_w^2 whatever q* is; for sigma_w^2 < 1 the
    // length map q -> sigma_w^2 q + sigma_b^2 has q* = sigma_b^2 / (1 - sigma_w^2).
    [Theory]
    [InlineData(0.5, 0.1)]
    [InlineData(0.9, 0.0)]
    [InlineData(2.0, 0.2)]
    public void Identity_Chi1_IsTheWeightVariance(double weightVariance, double biasVariance)
    {
        var r = MeanField.Analyze(Activation.Parse("identity"), weightVariance, biasVariance, depth: 10);
        Assert.Equal(weightVariance, r.Chi1, 12);
        if (weightVariance < 1 && biasVariance > 0)
            Assert.Equal(biasVariance / (1 - weightVariance), r.QStar!.Value, 10);
    }

    // relu'(x)^p = 1{x > 0} for every p > 0, so every moment is P(z > 0) = 1/2; p = 0 gives E[1] = 1.
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(2, 0.5)]
    [InlineData(4, 0.5)]
    public void Relu_DerivativeMoment_IsOneHalf(int power, double expected) =>
        Assert.Equal(expected, new MeanField(Relu, 1.5, 0.05).DerivativeMoment(power), 12);

    // The second moment is chi_1 / sigma_w^2 by definition; the fourth is below the second because
    // tanh' < 1, and above its square (Jensen).
    [Fact]
    public void Tanh_DerivativeMoment_MatchesChi1AndJensen()
    {
        var meanField = new MeanField(Tanh, 1.76, 0.05);
        double mu1 = meanField.DerivativeMoment(2), mu2 = meanField.DerivativeMoment(4);
        Assert.Equal(meanField.Chi1 / 1.76, mu1, 12);
        Assert.InRange(mu2, mu1 * mu1, mu1);
    }

    // At sigma_b^2 = 0 and sigma_w^2 <= 1 tanh's only fixed point is q* = 0, where tanh'(0) = 1
    // gives chi_1 = sigma_w^2; above 1 a q* > 0 appears with chi_1 > 1 (Poole et al. 2016). So
    // chi_1 crosses 1 at sigma_w^2 = 1.
    [Fact]
    public void Tanh_CriticalLine_PassesThroughOneZero()
    {
        double? critical = MeanField.CriticalWeightVariance(Tanh, 0.0);
        Assert.NotNull(critical);
        Assert.Equal(1.0, critical.Value, 3);
        Assert.Equal(FixedPointStatus.Zero, new MeanField(Tanh, 0.9, 0).Status);
    }

    // Schoenholz et al. (2017) locate tanh's edge of chaos at sigma_b^2 = 0.05 near sigma_w^2 = 1.76;
    // solving sigma_w^2 E[tanh'(sqrt(q*) z)^2] = 1 with q* from the length map gives 1.7610.
    [Fact]
    public void Tanh_CriticalLine_AtBiasVariance005_Is17610()
    {
        double? critical = MeanField.CriticalWeightVariance(Tanh, 0.05);
        Assert.NotNull(critical);
        Assert.True(Math.Abs(critical.Value - 1.7610) < 1e-3, $"critical sigma_w^2 = {critical}");
        Assert.Equal(1.0, new MeanField(Tanh, critical.Value, 0.05).Chi1, 9);
    }

    // q* is a fixed point of the length map, and the reported slope is its derivative there.
    [Theory]
    [InlineData("tanh", 1.5, 0.05)]
    [InlineData("tanh", 3.0, 0.2)]
    [InlineData("hard-tanh", 2.0, 0.05)]
    [InlineData("gelu", 1.2, 0.1)]
    [InlineData("sigmoid", 4.0, 0.1)]
    [InlineData("selu", 0.8, 0.05)]
    public void LengthMap_FixesQStar_AndSlopeIsItsDerivative(string name, double weightVariance, double biasVariance)
    {
        var field = new MeanField(Activation.Parse(name), weightVariance, biasVariance);
        double q = field.QStar;
        Assert.Equal(FixedPointStatus.Converged, field.Status);
        Assert.Equal(q, field.LengthMap(q), 12);
        double h = 1e-5 * q;
        double numeric = (field.LengthMap(q + h) - field.LengthMap(q - h)) / (2 * h);
        Assert.Equal(numeric, field.LengthMapSlope(q), 6);
    }

    // The correlation map sends 1 to 1 (c = 1 is the length map), and by Price's theorem its slope
    // at c = 1 is sigma_w^2 E[phi'(u)^2] = chi_1; checked against a one-sided difference too.
    [Theory]
    [InlineData("tanh", 1.5, 0.05)]
    [InlineData("tanh", 2.5, 0.05)]
    [InlineData("hard-tanh", 2.0, 0.05)]
    [InlineData("relu", 1.5, 0.1)]
    [InlineData("elu", 1.5, 0.1)]
    public void CorrelationMap_SlopeAtOne_EqualsChi1(string name, double weightVariance, double biasVariance)
    {
        var field = new MeanField(Activation.Parse(name), weightVariance, biasVariance);
        Assert.Equal(1.0, field.CorrelationMap(1.0), 12);
        Assert.Equal(field.Chi1, field.CorrelationMapSlope(1.0), 12);
        double numeric = (1.0 - field.CorrelationMap(1 - 1e-6)) / 1e-6;
        Assert.True(Math.Abs(numeric - field.Chi1) < 2e-3 * field.Chi1, $"{name}: {numeric} vs {field.Chi1}");
    }

    // ReLU's correlation map at sigma_b^2 = 0 is the normalized arc-cosine kernel
    // c -> (sqrt(1 - c^2) + (pi - acos c) c) / pi (Cho and Saul 2009), for any sigma_w^2.
    [Fact]
    public void Relu_CorrelationMap_IsArcCosineKernel()
    {
        var field = new MeanField(Relu, 2.0, 0.0);
        foreach (double c in new[] { 0.0, 0.3, 0.9 })
            Assert.Equal((Math.Sqrt(1 - (c * c)) + ((Math.PI - Math.Acos(c)) * c)) / Math.PI, field.CorrelationMap(c), 12);
    }

    // Ordered phase: c* = 1 and chi_c = chi_1. Chaotic: c* < 1 is a stable fixed point with slope
    // chi_c < 1 there, so xi_c is finite on both sides and grows without bound toward the critical line.
    [Fact]
    public void Tanh_CorrelationFixedPoint_OnBothSides()
    {
        var ordered = MeanField.Analyze(Tanh, 1.5, 0.05, depth: 10);
        Assert.Equal(1.0, ordered.CStar);
        Assert.Equal(ordered.Chi1, ordered.ChiC, 12);
        Assert.Equal(-1 / Math.Log(ordered.Chi1), ordered.DepthScale!.Value, 10);

        var field = new MeanField(Tanh, 2.5, 0.05);
        var chaotic = field.Analyze(depth: 10);
        Assert.Equal(SignalPhase.Chaotic, chaotic.Phase);
        Assert.InRange(chaotic.CStar!.Value, 0.01, 0.99);
        Assert.Equal(chaotic.CStar.Value, field.CorrelationMap(chaotic.CStar.Value), 10);
        Assert.InRange(chaotic.ChiC, 0.5, 0.9999);
        Assert.Null(chaotic.DepthScale);
        Assert.Equal(-1 / Math.Log(chaotic.ChiC), chaotic.XiC!.Value, 10);

        var nearCritical = MeanField.Analyze(Tanh, 1.76, 0.05, depth: 10);
        Assert.True(nearCritical.XiC > 10 * ordered.XiC!.Value);
    }

    // sigma_w^2 = 2, sigma_b^2 = 0: relu's length map is q -> q, every q is fixed.
    [Fact]
    public void Relu_AtTwo_IsDegenerateAndCritical()
    {
        var r = MeanField.Analyze(Relu, 2.0, 0.0, depth: 50);
        Assert.Equal(FixedPointStatus.Degenerate, r.FixedPoint);
        Assert.Null(r.QStar);
        Assert.Equal(1.0, r.Chi1, 12);
        Assert.Equal(SignalPhase.Critical, r.Phase);
        Assert.Null(r.DepthScale);
        Assert.Equal(1.0, r.PredictedGradientRatio, 10);
    }

    // Above the critical slope relu's lengths grow geometrically: no q*; chi_1 = sigma_w^2 / 2 still.
    [Fact]
    public void Relu_AboveTwo_Diverges()
    {
        var r = MeanField.Analyze(Relu, 3.0, 0.1, depth: 11);
        Assert.Equal(FixedPointStatus.Diverges, r.FixedPoint);
        Assert.Null(r.QStar);
        Assert.Equal(1.5, r.Chi1, 12);
        Assert.Equal(SignalPhase.Chaotic, r.Phase);
        Assert.Equal(Math.Pow(1.5, 5), r.PredictedGradientRatio, 10);
        Assert.Contains("grows without bound", r.Explanation, StringComparison.Ordinal);
    }

    // ELU's asymptote is relu (phi'(+inf) = 1, phi'(-inf) = 0), so a diverging ELU network has the
    // q -> infinity limit chi_1 = sigma_w^2 / 2.
    [Fact]
    public void Elu_Diverging_UsesLinearAsymptote()
    {
        var r = MeanField.Analyze(Activation.Parse("elu"), 3.0, 0.1, depth: 10);
        Assert.Equal(FixedPointStatus.Diverges, r.FixedPoint);
        Assert.Equal(1.5, r.Chi1, 12);
    }

    [Fact]
    public void Tanh_SmallWeightsNoBias_HasZeroFixedPoint()
    {
        var r = MeanField.Analyze(Tanh, 0.5, 0.0, depth: 10);
        Assert.Equal(FixedPointStatus.Zero, r.FixedPoint);
        Assert.Equal(0.0, r.QStar);
        Assert.Equal(0.5, r.Chi1, 12);
        Assert.Null(r.CStar);
    }

    [Theory]
    [InlineData(0.9995, SignalPhase.Critical)]
    [InlineData(0.99, SignalPhase.Ordered)]
    [InlineData(1.01, SignalPhase.Chaotic)]
    public void Classify_UsesTolerance(double chi1, SignalPhase expected) =>
        Assert.Equal(expected, MeanField.Classify(chi1));

    [Fact]
    public void PredictedGradientRatio_IsChi1ToTheHalfOfDepthMinusOne() =>
        Assert.Equal(Math.Pow(0.9, 24.5), MeanField.PredictedGradientRatio(0.9, 50), 14);

    [Theory]
    [InlineData(-1.0, 0.0, "weight variance sigma_w^2 must be a positive finite number; got -1")]
    [InlineData(1.0, -0.5, "bias variance sigma_b^2 must be zero or a positive finite number; got -0.5")]
    [InlineData(double.NaN, 0.0, "got NaN")]
    public void Constructor_RejectsBadVariances(double weightVariance, double biasVariance, string message)
    {
        var e = Assert.Throws<GradscopeException>(() => new MeanField(Tanh, weightVariance, biasVariance));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
