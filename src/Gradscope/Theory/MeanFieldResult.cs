namespace Gradscope.Theory;

/// <summary>Where a random network's gradients go with depth, judged by chi_1.</summary>
public enum SignalPhase
{
    /// <summary>chi_1 &lt; 1: gradients shrink by about chi_1 per layer (squared norm); inputs become correlated.</summary>
    Ordered,

    /// <summary>|chi_1 - 1| within the critical tolerance: gradients keep their size over many layers.</summary>
    Critical,

    /// <summary>chi_1 &gt; 1: gradients grow by about chi_1 per layer; nearby inputs decorrelate.</summary>
    Chaotic,
}

/// <summary>What the length map's fixed point looks like.</summary>
public enum FixedPointStatus
{
    /// <summary>A finite positive q* attracts the iteration from q = 1.</summary>
    Converged,

    /// <summary>The signal dies out: q* = 0 (odd activations with sigma_b^2 = 0 and small weights). Quantities are q -> 0+ limits.</summary>
    Zero,

    /// <summary>Every q is a fixed point (ReLU at sigma_w^2 = 2, identity at 1, with sigma_b^2 = 0). Quantities do not depend on q.</summary>
    Degenerate,

    /// <summary>q grows without bound; no q* exists. Quantities are q -> infinity limits on the activation's linear asymptote.</summary>
    Diverges,
}

/// <summary>
/// Mean-field predictions for a deep random network with weights N(0, sigma_w^2 / n_in) and biases
/// N(0, sigma_b^2) (Poole et al. 2016; Schoenholz et al. 2017). Values that can be infinite or
/// undefined are nullable, so the record serializes to JSON as is.
/// </summary>
public sealed record MeanFieldResult
{
    /// <summary>Canonical activation name.</summary>
    public required string Activation { get; init; }

    /// <summary>sigma_w^2.</summary>
    public required double WeightVariance { get; init; }

    /// <summary>sigma_b^2.</summary>
    public required double BiasVariance { get; init; }

    /// <summary>Whether a fixed point q* exists and what kind.</summary>
    public required FixedPointStatus FixedPoint { get; init; }

    /// <summary>The fixed pre-activation variance q*; 0 for <see cref="FixedPointStatus.Zero"/>, null when degenerate or diverging.</summary>
    public required double? QStar { get; init; }

    /// <summary>chi_1 = sigma_w^2 E[phi'(sqrt(q*) z)^2]: the per-layer factor of the gradient's squared norm.</summary>
    public required double Chi1 { get; init; }

    /// <summary>Slope of the length map at q* (chi_1 + sigma_w^2 E[phi phi''] in Schoenholz et al.).</summary>
    public required double LengthMapSlope { get; init; }

    /// <summary>
    /// chi_c: slope of the correlation map at its stable fixed point c*. Equals chi_1 when c* = 1
    /// (ordered phase); below 1 at the c* &lt; 1 of the chaotic phase, so xi_c is finite on both sides.
    /// </summary>
    public required double ChiC { get; init; }

    /// <summary>The stable correlation fixed point c*; 1 in the ordered phase; null when q* = 0, where every c is fixed.</summary>
    public required double? CStar { get; init; }

    /// <summary>The depth scale -1 / ln(chi_1): layers over which gradients fall by e in squared norm; null when chi_1 &gt;= 1.</summary>
    public required double? DepthScale { get; init; }

    /// <summary>xi_q = -1 / ln(length-map slope): layers to forget the input's length; null when the slope is &gt;= 1.</summary>
    public required double? XiQ { get; init; }

    /// <summary>xi_c = -1 / ln(chi_c): layers to forget input correlations; null (infinite) when chi_c &gt;= 1.</summary>
    public required double? XiC { get; init; }

    /// <summary>Ordered, critical or chaotic by chi_1 and <see cref="CriticalTolerance"/>.</summary>
    public required SignalPhase Phase { get; init; }

    /// <summary>The |chi_1 - 1| below which the phase is critical.</summary>
    public required double CriticalTolerance { get; init; }

    /// <summary>The depth L the predictions below are for.</summary>
    public required int Depth { get; init; }

    /// <summary>Predicted ||dL/dh_1|| / ||dL/dh_L|| = chi_1^((L - 1) / 2).</summary>
    public required double PredictedGradientRatio { get; init; }

    /// <summary>Predicted mean squared singular value of the input-output Jacobian, chi_1^L.</summary>
    public required double PredictedJacobianMeanSquare { get; init; }

    /// <summary>The quadrature used at the evaluation point (<c>gauss-hermite-128</c> or <c>piecewise-gauss-legendre</c>).</summary>
    public required string Quadrature { get; init; }

    /// <summary>One sentence on the fixed point, for people.</summary>
    public required string Explanation { get; init; }
}
