using Gradscope.Activations;
using Gradscope.Tensors;
using Gradscope.Theory;

namespace Gradscope.Tests.Theory;

public sealed class QuadratureTests
{
    // Standard normal moments: E[z^(2k)] = (2k - 1)!! (1, 3, 15, 105), odd moments vanish; an n-node
    // Gauss rule is exact up to degree 2n - 1, so 5 nodes already give E[z^8] to rounding.
    [Theory]
    [InlineData(5)]
    [InlineData(GaussHermite.DefaultNodeCount)]
    [InlineData(300)]
    public void GaussHermite_IntegratesPolynomialsExactly(int nodes)
    {
        var rule = GaussHermite.Create(nodes);
        Assert.Equal(1.0, rule.Expectation(_ => 1.0), 13);
        Assert.Equal(0.0, rule.Expectation(z => z * z * z), 13);
        Assert.Equal(1.0, rule.Expectation(z => z * z), 13);
        Assert.Equal(3.0, rule.Expectation(z => Math.Pow(z, 4)), 12);
        Assert.Equal(105.0, rule.Expectation(z => Math.Pow(z, 8)), 10);
    }

    [Fact]
    public void GaussHermite_Default_IsSymmetricAndAscending()
    {
        var rule = GaussHermite.Default;
        Assert.Equal(GaussHermite.DefaultNodeCount, rule.Count);
        for (int i = 0; i < rule.Count; i++)
        {
            Assert.Equal(-rule.Nodes[rule.Count - 1 - i], rule.Nodes[i], 12);
            if (i > 0)
                Assert.True(rule.Nodes[i] > rule.Nodes[i - 1]);
        }
    }

    [Fact]
    public void GaussHermite_Create_RejectsZeroNodes() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussHermite.Create(0));

    // Reference: the trapezoid rule with step h on [-12, 12] is exponentially accurate for an
    // analytic integrand that decays at both ends, error ~ exp(-2 pi d / h) with d the distance of
    // the nearest singularity in z (Trefethen and Weideman 2014). tanh's poles at x = i pi / 2 sit at
    // d = pi / (2 sqrt(q)) >= 0.22 for q <= 50, so h = 0.002 leaves ~e^-700: exact for our purpose.
    [Theory]
    [InlineData("tanh")]
    [InlineData("sigmoid")]
    [InlineData("gelu")]
    [InlineData("silu")]
    [InlineData("softplus")]
    [InlineData("identity")]
    public void SmoothActivations_MatchTrapezoidReference_Within1e10(string name)
    {
        var a = Activation.Parse(name);
        var integrator = new GaussianIntegrator(ActivationProfile.For(a));
        foreach (double q in new[] { 0.05, 0.5, 1.0, 2.5, 4.0, 10.0, 50.0 })
        {
            double value = integrator.Expect(q, (_, x) => a.Value(x) * a.Value(x));
            double slope = integrator.Expect(q, (_, x) => a.Derivative(x) * a.Derivative(x));
            Assert.True(Math.Abs(value - Trapezoid(z => Square(a.Value(Math.Sqrt(q) * z)))) < 1e-10 * Math.Max(1, value), $"{name} E[phi^2] at q={q}");
            Assert.True(Math.Abs(slope - Trapezoid(z => Square(a.Derivative(Math.Sqrt(q) * z)))) < 1e-10, $"{name} E[phi'^2] at q={q}");
        }
    }

    // ReLU: E[relu(sqrt(q) z)^2] = q E[z^2; z > 0] = q / 2 and E[relu'^2] = P(z > 0) = 1 / 2; the
    // arc-cosine kernel (Cho and Saul 2009): E[relu(u1) relu(u2)] = q / (2 pi) (sqrt(1 - c^2) + (pi - acos c) c).
    [Theory]
    [InlineData(1e-4)]
    [InlineData(1.0)]
    [InlineData(400.0)]
    public void Relu_MatchesClosedForms_Within1e13(double q)
    {
        var relu = Activation.Parse("relu");
        var integrator = new GaussianIntegrator(ActivationProfile.For(relu));
        Assert.Equal(0.5, integrator.Expect(q, (_, x) => Square(relu.Value(x))) / q, 13);
        Assert.Equal(0.5, integrator.Expect(q, (_, x) => Square(relu.Derivative(x))), 13);
        foreach (double c in new[] { -0.95, 0.0, 0.6, 0.999 })
        {
            double exact = q / (2 * Math.PI) * (Math.Sqrt(1 - (c * c)) + ((Math.PI - Math.Acos(c)) * c));
            Assert.Equal(exact / q, integrator.Expect2(q, c, relu.Value, relu.Value) / q, 13);
        }
    }

    // Hard-tanh with a = 1 / sqrt(q): E[clamp(sqrt(q) z)^2] = q (2 Phi(a) - 1 - 2 a pdf(a)) + 2 (1 - Phi(a))
    // (inside: q E[z^2; |z| < a], integrating z^2 pdf by parts; outside: 1), and E[phi'^2] = P(|z| < a).
    [Theory]
    [InlineData(0.1)]
    [InlineData(1.0)]
    [InlineData(30.0)]
    public void HardTanh_MatchesClosedForm_Within1e13(double q)
    {
        var hardTanh = Activation.Parse("hard-tanh");
        var integrator = new GaussianIntegrator(ActivationProfile.For(hardTanh));
        double a = 1 / Math.Sqrt(q);
        double inside = 1 - SpecialFunctions.Erfc(a / Math.Sqrt(2));
        double pdf = Math.Exp(-0.5 * a * a) / Math.Sqrt(2 * Math.PI);
        double expected = (q * (inside - (2 * a * pdf))) + (1 - inside);
        Assert.Equal(expected, integrator.Expect(q, (_, x) => Square(hardTanh.Value(x))), 13);
        Assert.Equal(inside, integrator.Expect(q, (_, x) => Square(hardTanh.Derivative(x))), 13);
    }

    // ELU: E[elu(sqrt(q) z)^2] = q / 2 + E[(e^u - 1)^2; u < 0] with u = sqrt(q) z, and
    // E[e^(k u); u < 0] = e^(k^2 q / 2) Phi(-k sqrt(q)), so the negative side is
    // e^(2q) Phi(-2 sqrt q) - 2 e^(q/2) Phi(-sqrt q) + 1/2.
    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    [InlineData(10.0)]
    public void Elu_MatchesClosedForm_Within1e12(double q)
    {
        var elu = Activation.Parse("elu");
        var integrator = new GaussianIntegrator(ActivationProfile.For(elu));
        double r = Math.Sqrt(q);
        double expected = (q / 2) + (Math.Exp(2 * q) * LowerTail(2 * r)) - (2 * Math.Exp(q / 2) * LowerTail(r)) + 0.5;
        Assert.Equal(expected, integrator.Expect(q, (_, x) => Square(elu.Value(x))), 12);
    }

    private static double LowerTail(double x) => 0.5 * SpecialFunctions.Erfc(x / Math.Sqrt(2));

    private static double Square(double x) => x * x;

    private static double Trapezoid(Func<double, double> f)
    {
        const double h = 0.002;
        double sum = 0;
        for (double z = -12; z <= 12 + 1e-9; z += h)
            sum += f(z) * Math.Exp(-0.5 * z * z);
        return sum * h / Math.Sqrt(2 * Math.PI);
    }
}
