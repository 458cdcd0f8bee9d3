namespace Gradscope.Theory;

/// <summary>Measured signal propagation beside the mean-field prediction.</summary>
public sealed record SignalPropagationReport
{
    /// <summary>What was measured.</summary>
    public required SignalPropagationConfig Config { get; init; }

    /// <summary>The mean-field prediction at the configuration's depth.</summary>
    public required MeanFieldResult Prediction { get; init; }

    /// <summary>The variance of the h_0 the inputs were drawn from.</summary>
    public required double InputLength { get; init; }

    /// <summary>
    /// E||delta_l||^2 / E||delta_{l+1}||^2 for l = 1 .. L-1 (index 0 is layer 1), delta = dL/dh,
    /// E over the batch, then averaged over seeds. Predicted: chi_1 for every l.
    /// </summary>
    public required double[] LayerRatios { get; init; }

    /// <summary>The layer ratios averaged over layers.</summary>
    public required double MeanLayerRatio { get; init; }

    /// <summary>Each seed's ratio averaged over layers.</summary>
    public required double[] SeedMeanRatios { get; init; }

    /// <summary>Standard error of <see cref="MeanLayerRatio"/> across seeds (0 for one seed).</summary>
    public required double MeanLayerRatioStandardError { get; init; }

    /// <summary>E||delta_l||^2 per layer (index 0 is layer 1), averaged over seeds.</summary>
    public required double[] DeltaSquaredNorms { get; init; }

    /// <summary>Measured ||delta_1|| / ||delta_L|| (root mean squares; geometric mean over seeds); predicted chi_1^((L-1)/2).</summary>
    public required double MeasuredGradientRatio { get; init; }

    /// <summary>MeanLayerRatio / chi_1 - 1.</summary>
    public double RatioRelativeError => (MeanLayerRatio / Prediction.Chi1) - 1;

    /// <summary>The Jacobian spectrum pooled over seeds and inputs; null when skipped.</summary>
    public required JacobianSpectrum? Jacobian { get; init; }

    /// <summary>One spectrum per seed (pooled over that seed's inputs).</summary>
    public required IReadOnlyList<JacobianSpectrum> SeedJacobians { get; init; }
}
