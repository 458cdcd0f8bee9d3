using Gradscope.Activations;
using Gradscope.Lab.Experiments;

namespace Gradscope.Lab.Tests.Experiments.Squashing;

public sealed class PairCorrelationMapTests
{
    [Fact]
    public void Correlations_IdentityWithoutBias_KeepsTheInputsCosine()
    {
        var map = new PairCorrelationMap(Activation.Parse("identity"), 1.3, 0);
        double[] a = [1.0, 2.0];
        double[] b = [-0.5, 1.5];
        double cosine = ((1 * -0.5) + (2 * 1.5)) / Math.Sqrt(5 * 2.5);

        var c = map.Correlations(a, b, 6);

        foreach (double value in c)
            Assert.Equal(cosine, value, 10);
    }

    [Fact]
    public void Next_Identity_ScalesTheCovariancesBySigmaW2AndAddsTheBias()
    {
        var map = new PairCorrelationMap(Activation.Parse("identity"), 2.0, 0.1);

        var (qa, qb, qab) = map.Next(1.0, 4.0, 0.6);

        Assert.Equal(2.1, qa, 10);
        Assert.Equal(8.1, qb, 10);
        Assert.Equal(1.3, qab, 10);
    }

    [Fact]
    public void Next_ReluWithHe_FollowsTheArcCosineFormula()
    {
        var map = new PairCorrelationMap(Activation.Parse("relu"), 2.0, 0);
        const double c = 0.3;

        var (qa, qb, qab) = map.Next(1.5, 1.5, c * 1.5);

        // Cho and Saul's normalized kernel: c' = (sqrt(1 - c^2) + (pi - arccos c) c) / pi; He keeps q.
        double expected = (Math.Sqrt(1 - (c * c)) + ((Math.PI - Math.Acos(c)) * c)) / Math.PI;
        Assert.Equal(1.5, qa, 10);
        Assert.Equal(1.5, qb, 10);
        Assert.Equal(expected, qab / Math.Sqrt(qa * qb), 10);
    }

    [Fact]
    public void Next_Sigmoid_MatchesAMonteCarloEstimate()
    {
        var sigmoid = Activation.Parse("sigmoid");
        var map = new PairCorrelationMap(sigmoid, 1.0, 0);
        const double qa = 0.8, qb = 2.0, c = -0.4;
        var random = new SeededRandom(3);
        double sum = 0;
        const int samples = 400_000;
        for (int i = 0; i < samples; i++)
        {
            double z1 = random.NextGaussian(), z2 = random.NextGaussian();
            sum += sigmoid.Value(Math.Sqrt(qa) * z1) * sigmoid.Value(Math.Sqrt(qb) * ((c * z1) + (Math.Sqrt(1 - (c * c)) * z2)));
        }

        var (_, _, qab) = map.Next(qa, qb, c * Math.Sqrt(qa * qb));

        Assert.Equal(sum / samples, qab, 3);
    }

    [Fact]
    public void Constructor_KinkedActivationOtherThanRelu_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new PairCorrelationMap(Activation.Parse("hard-tanh"), 1, 0));
    }
}
