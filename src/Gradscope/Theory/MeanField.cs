using Gradscope.Activations;

namespace Gradscope.Theory;

/// <summary>
/// Mean-field signal propagation through a deep random network with weights N(0, sigma_w^2 / n_in)
/// and biases N(0, sigma_b^2): the length map, its fixed point q*, chi_1, the correlation map and
/// the depth scales (Poole et al. 2016; Schoenholz et al. 2017). Construction solves for q*.
/// Not thread-safe (quadrature buffers are reused); make one per thread.
/// </summary>
/// <remarks>
/// Expectations over z ~ N(0, 1) use 128-node Gauss-Hermite for the analytic activations while it
/// stays within 1e-10 (identity always; tanh up to q = 1; GELU up to 3; sigmoid, SiLU, softplus up
/// to 4: tanh's poles at x = i pi / 2 slow Gauss-Hermite badly beyond that). Everything else
/// (larger q, and the activations with kinks: ReLU, leaky ReLU, hard-tanh, ELU, SELU, softsign)
/// uses a composite Gauss-Legendre rule with panels split at every kink and on a graded mesh,
/// within about 1e-13 (both tested; ReLU against its closed forms).
/// </remarks>
public sealed partial class MeanField
{
    /// <summary>
    /// Default |chi_1 - 1| under which a configuration counts as critical: within it the depth scale
    /// -1/ln(chi_1) exceeds 1000 layers, deeper than anything Gradscope trains.
    /// </summary>
    public const double DefaultCriticalTolerance = 1e-3;

    private readonly GaussianIntegrator _integrator;
    private readonly GaussianIntegrator _evaluation;
    private readonly double _evaluationBias;

    /// <summary>Sets up the maps for <paramref name="activation"/> and solves for the fixed point q*.</summary>
    /// <exception cref="GradscopeException">A variance is negative, zero (weights) or not finite.</exception>
    public MeanField(Activation activation, double weightVariance, double biasVariance)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (!(weightVariance > 0) || !double.IsFinite(weightVariance))
            throw new GradscopeException($"The weight variance sigma_w^2 must be a positive finite number; got {weightVariance}.");
        if (!(biasVariance >= 0) || !double.IsFinite(biasVariance))
            throw new GradscopeException($"The bias variance sigma_b^2 must be zero or a positive finite number; got {biasVariance}.");
        Activation = activation;
        WeightVariance = weightVariance;
        BiasVariance = biasVariance;
        _integrator = new GaussianIntegrator(ActivationProfile.For(activation));
        (Status, QStar) = SolveLengthFixedPoint();

        // Where q* is missing, the quantities are evaluated where the network actually lives.
        (_evaluation, EvaluationLength, _evaluationBias) = Status switch
        {
            FixedPointStatus.Converged => (_integrator, QStar, biasVariance),
            FixedPointStatus.Zero => (_integrator, ZeroLimitLength, 0.0),
            FixedPointStatus.Degenerate => (_integrator, 1.0, 0.0),
            _ => (new GaussianIntegrator(ActivationProfile.LinearAsymptote(activation)), 1.0, 0.0),
        };
    }

    /// <summary>The activation phi.</summary>
    public Activation Activation { get; }

    /// <summary>sigma_w^2.</summary>
    public double WeightVariance { get; }

    /// <summary>sigma_b^2.</summary>
    public double BiasVariance { get; }

    /// <summary>What the length map's fixed point looks like.</summary>
    public FixedPointStatus Status { get; }

    /// <summary>q* when <see cref="Status"/> is Converged, 0 when Zero, NaN otherwise.</summary>
    public double QStar { get; }

    /// <summary>
    /// The variance the derived quantities are evaluated at: q*; 1e-30 (the q -> 0+ limit) when q* = 0;
    /// 1 when degenerate or diverging (there the quantities do not depend on q).
    /// </summary>
    public double EvaluationLength { get; }

    /// <summary>chi_1 = sigma_w^2 E[phi'(sqrt(q) z)^2] at the evaluation length.</summary>
    public double Chi1 => Chi1At(EvaluationLength, _evaluation);

    /// <summary>The length map q_{l+1} = sigma_w^2 E[phi(sqrt(q_l) z)^2] + sigma_b^2.</summary>
    public double LengthMap(double q) =>
        (WeightVariance * _integrator.Expect(q, (_, x) => Square(Activation.Value(x)))) + BiasVariance;

    /// <summary>
    /// dq_{l+1}/dq_l = sigma_w^2 E[phi(u) phi'(u) z] / sqrt(q) with u = sqrt(q) z (Stein's lemma turns
    /// Schoenholz et al.'s chi_1 + sigma_w^2 E[phi phi''] into a form without phi'', valid at kinks).
    /// </summary>
    public double LengthMapSlope(double q) => LengthMapSlope(q, _integrator);

    /// <summary>sigma_w^2 E[phi'(sqrt(q) z)^2] at any variance q.</summary>
    public double Chi1At(double q) => Chi1At(q, _integrator);

    /// <summary>
    /// E[phi'(sqrt(q) z)^power], z ~ N(0, 1), at the evaluation length (q* at a fixed point): with
    /// power 2 and 4 these are mu_1 and mu_2 of Pennington et al. (2017), the first two moments of
    /// the spectrum of D_l^2 that, with the weights', fix the Jacobian's spectrum.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="power"/> is negative.</exception>
    public double DerivativeMoment(int power)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(power);
        var profile = _evaluation.Profile;
        return _evaluation.Expect(EvaluationLength, (_, x) => Math.Pow(profile.Derivative(x), power));
    }

    /// <summary>
    /// The correlation map c_{l+1} = (sigma_w^2 E[phi(u1) phi(u2)] + sigma_b^2) / q_{l+1}, (u1, u2)
    /// Gaussian with variance q and correlation c, at the evaluation length; maps 1 to 1.
    /// </summary>
    public double CorrelationMap(double c)
    {
        var profile = _evaluation.Profile;
        double cross = _evaluation.Expect2(EvaluationLength, c, profile.Value, profile.Value);
        return ((WeightVariance * cross) + _evaluationBias) / NextLength();
    }

    /// <summary>
    /// dc_{l+1}/dc_l = sigma_w^2 q E[phi'(u1) phi'(u2)] / q_{l+1} (Price's theorem); at a fixed
    /// point this is Schoenholz et al.'s chi_c, and at c = 1 it equals chi_1.
    /// </summary>
    public double CorrelationMapSlope(double c)
    {
        var profile = _evaluation.Profile;
        double cross = _evaluation.Expect2(EvaluationLength, c, profile.Derivative, profile.Derivative);
        return WeightVariance * EvaluationLength * cross / NextLength();
    }

    /// <summary>All predictions at depth <paramref name="depth"/>.</summary>
    public MeanFieldResult Analyze(int depth, double criticalTolerance = DefaultCriticalTolerance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        double chi1 = Chi1;

        // At a true fixed point the correlation map's slope at c = 1 is chi_1; where q grows without
        // bound it is not (a linear network keeps every correlation while chi_1 = sigma_w^2 > 1).
        double slopeAtOne = Status == FixedPointStatus.Converged ? chi1 : CorrelationMapSlope(1.0);
        double? cStar = Status == FixedPointStatus.Zero ? null : SolveCorrelationFixedPoint(slopeAtOne);
        double chiC = cStar is { } c && c < 1 ? CorrelationMapSlope(c) : slopeAtOne;
        double lengthSlope = LengthMapSlope(EvaluationLength, _evaluation);
        return new MeanFieldResult
        {
            Activation = Activation.Name,
            WeightVariance = WeightVariance,
            BiasVariance = BiasVariance,
            FixedPoint = Status,
            QStar = Status is FixedPointStatus.Converged or FixedPointStatus.Zero ? QStar : null,
            Chi1 = chi1,
            LengthMapSlope = lengthSlope,
            ChiC = chiC,
            CStar = cStar,
            DepthScale = DepthScaleOf(chi1),
            XiQ = DepthScaleOf(lengthSlope),
            XiC = DepthScaleOf(chiC),
            Phase = Classify(chi1, criticalTolerance),
            CriticalTolerance = criticalTolerance,
            Depth = depth,
            PredictedGradientRatio = PredictedGradientRatio(chi1, depth),
            PredictedJacobianMeanSquare = Math.Pow(chi1, depth),
            Quadrature = _evaluation.UsesHermite(EvaluationLength) ? $"gauss-hermite-{GaussHermite.DefaultNodeCount}" : "piecewise-gauss-legendre",
            Explanation = Explain(),
        };
    }

    /// <summary>Shortcut for <c>new MeanField(...).Analyze(depth)</c>.</summary>
    public static MeanFieldResult Analyze(Activation activation, double weightVariance, double biasVariance, int depth, double criticalTolerance = DefaultCriticalTolerance) =>
        new MeanField(activation, weightVariance, biasVariance).Analyze(depth, criticalTolerance);

    /// <summary>Predicted first-to-last gradient norm ratio ||delta_1|| / ||delta_L|| = chi_1^((L - 1) / 2).</summary>
    public static double PredictedGradientRatio(double chi1, int depth) => Math.Pow(chi1, (depth - 1) / 2.0);

    /// <summary>The phase of a network with this chi_1.</summary>
    public static SignalPhase Classify(double chi1, double criticalTolerance = DefaultCriticalTolerance) =>
        Math.Abs(chi1 - 1) < criticalTolerance ? SignalPhase.Critical : chi1 < 1 ? SignalPhase.Ordered : SignalPhase.Chaotic;

    /// <summary>-1 / ln(rate), or null where the rate is 1 or more (no decay, infinite scale).</summary>
    /// <remarks>Rates within 1e-12 of 1 count as 1: quadrature rounding must not turn "infinite" into 10^15 layers.</remarks>
    public static double? DepthScaleOf(double rate) => rate < 1 - 1e-12 && rate >= 0 ? -1.0 / Math.Log(rate) : null;

    // q_{l+1} from the evaluation length; equals it at a fixed point, the normalizer of the correlation map.
    private double NextLength()
    {
        var profile = _evaluation.Profile;
        return (WeightVariance * _evaluation.Expect(EvaluationLength, (_, x) => Square(profile.Value(x)))) + _evaluationBias;
    }

    private double Chi1At(double q, GaussianIntegrator integrator)
    {
        var profile = integrator.Profile;
        return WeightVariance * integrator.Expect(q, (_, x) => Square(profile.Derivative(x)));
    }

    private double LengthMapSlope(double q, GaussianIntegrator integrator)
    {
        var profile = integrator.Profile;
        double root = Math.Sqrt(q);
        return WeightVariance * integrator.Expect(q, (z, x) => profile.Value(x) * profile.Derivative(x) * z) / root;
    }

    private static double Square(double x) => x * x;
}
