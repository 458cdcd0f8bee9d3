namespace Gradscope.Diagnostics;

/// <summary>The per-layer, per-step statistics a <see cref="Trace"/> holds (DESIGN section 3).</summary>
public enum LayerStat
{
    /// <summary>L2 norm of dLoss/dW.</summary>
    GradNorm,

    /// <summary>RMS of dLoss/dW.</summary>
    GradRms,

    /// <summary>L2 norm of dLoss/db.</summary>
    BiasGradNorm,

    /// <summary>RMS of dLoss/d(pre-activation).</summary>
    DeltaRms,

    /// <summary>Mean of the layer's output.</summary>
    ActMean,

    /// <summary>Standard deviation of the layer's output.</summary>
    ActStd,

    /// <summary>Fraction of (sample, unit) pairs in the saturated regime.</summary>
    Saturated,

    /// <summary>Fraction of units saturated for every sample of the batch.</summary>
    Dead,

    /// <summary>L2 norm of W after the step.</summary>
    WeightNorm,

    /// <summary>norm(W_after - W_before) / norm(W_before).</summary>
    UpdateRatio,

    /// <summary>NaN or infinite values among the layer's weight gradient and output.</summary>
    NonFinite,
}

/// <summary>Names of the statistics as JSON and tables print them.</summary>
public static class LayerStatNames
{
    private static readonly string[] Names =
    [
        "grad_norm", "grad_rms", "bias_grad_norm", "delta_rms", "act_mean", "act_std", "saturated", "dead",
        "weight_norm", "update_ratio", "non_finite",
    ];

    /// <summary>Number of statistics.</summary>
    public static int Count => Names.Length;

    /// <summary>The snake_case name of <paramref name="stat"/>.</summary>
    public static string Of(LayerStat stat) => Names[(int)stat];
}
