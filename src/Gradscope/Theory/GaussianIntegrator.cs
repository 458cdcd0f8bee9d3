namespace Gradscope.Theory;

/// <summary>
/// The one- and two-dimensional Gaussian expectations of mean-field theory for one activation,
/// with the rule chosen per call: Gauss-Hermite for smooth activations at moderate variance,
/// the kink-splitting piecewise rule otherwise. Holds reusable buffers: not thread-safe.
/// </summary>
internal sealed class GaussianIntegrator
{
    private readonly ActivationProfile _profile;
    private readonly PiecewiseGaussianRule _outer = new();
    private readonly PiecewiseGaussianRule _inner = new();
    private readonly List<double> _smoothedKinkEdges = new(32);

    public GaussianIntegrator(ActivationProfile profile) => _profile = profile;

    public ActivationProfile Profile => _profile;

    /// <summary>True when expectations at variance <paramref name="q"/> use Gauss-Hermite.</summary>
    public bool UsesHermite(double q) => q <= _profile.HermiteMaxLength;

    /// <summary>E[f(z, sqrt(q) z)] for z ~ N(0, 1).</summary>
    public double Expect(double q, Func<double, double, double> f)
    {
        double scale = Math.Sqrt(q);
        if (scale == 0)
            return f(0, 0);
        ReadOnlySpan<double> nodes, weights;
        if (UsesHermite(q))
        {
            nodes = GaussHermite.Default.Nodes;
            weights = GaussHermite.Default.Weights;
        }
        else
        {
            _outer.Build(0, scale, _profile.Kinks);
            nodes = _outer.Nodes;
            weights = _outer.Weights;
        }

        double sum = 0;
        for (int i = 0; i < nodes.Length; i++)
            sum += weights[i] * f(nodes[i], scale * nodes[i]);
        return sum;
    }

    /// <summary>
    /// E[f1(u1) f2(u2)] for jointly Gaussian u1, u2 with variance q each and correlation c:
    /// u1 = sqrt(q) z1, u2 = sqrt(q) (c z1 + sqrt(1 - c^2) z2), iterated one-dimensional rules.
    /// </summary>
    public double Expect2(double q, double c, Func<double, double> f1, Func<double, double> f2)
    {
        double scale = Math.Sqrt(q);
        double s = Math.Sqrt(Math.Max(0.0, 1 - (c * c)));
        if (scale == 0)
            return f1(0) * f2(0);
        bool hermite = UsesHermite(q);
        ReadOnlySpan<double> outerNodes, outerWeights;
        if (hermite)
        {
            outerNodes = GaussHermite.Default.Nodes;
            outerWeights = GaussHermite.Default.Weights;
        }
        else
        {
            _outer.Build(0, scale, _profile.Kinks, SmoothedKinkEdges(scale, c, s));
            outerNodes = _outer.Nodes;
            outerWeights = _outer.Weights;
        }

        // The inner variable has variance q (1 - c^2): Gauss-Hermite may serve it even where the
        // outer one, of variance q, needs the piecewise rule.
        bool innerHermite = UsesHermite(q * s * s);
        double sum = 0;
        for (int i = 0; i < outerNodes.Length; i++)
        {
            double x1 = scale * outerNodes[i];
            double inner = s == 0 ? f2(x1) : InnerExpectation(innerHermite, c * x1, scale * s, f2);
            sum += outerWeights[i] * f1(x1) * inner;
        }

        return sum;
    }

    // The inner expectation, as a function of z1, is phi smoothed by a Gaussian of width s / |c| in
    // z1 around each kink's z1 = kink / (sqrt(q) c): a feature much narrower than a panel when c is
    // near +-1. A geometric mesh of edges around it keeps the outer rule accurate (without it ReLU's
    // arc-cosine kernel at c = 0.999 is off by 1e-9).
    private ReadOnlySpan<double> SmoothedKinkEdges(double scale, double c, double s)
    {
        _smoothedKinkEdges.Clear();
        double width = s / Math.Abs(c);
        if (c == 0 || width >= 1)
            return default;
        foreach (double kink in _profile.Kinks)
        {
            double center = kink / (scale * c);
            _smoothedKinkEdges.Add(center);
            for (double m = 0.5; m <= 8; m *= 2)
            {
                _smoothedKinkEdges.Add(center - (m * width));
                _smoothedKinkEdges.Add(center + (m * width));
            }
        }

        return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_smoothedKinkEdges);
    }

    // E[f(offset + scale z2)] over z2 ~ N(0, 1).
    private double InnerExpectation(bool hermite, double offset, double scale, Func<double, double> f)
    {
        ReadOnlySpan<double> nodes, weights;
        if (hermite)
        {
            nodes = GaussHermite.Default.Nodes;
            weights = GaussHermite.Default.Weights;
        }
        else
        {
            _inner.Build(offset, scale, _profile.Kinks);
            nodes = _inner.Nodes;
            weights = _inner.Weights;
        }

        double sum = 0;
        for (int j = 0; j < nodes.Length; j++)
            sum += weights[j] * f(offset + (scale * nodes[j]));
        return sum;
    }
}
