namespace Gradscope.Lab.Experiments;

/// <summary>The sizes of one orthogonal-isometry run.</summary>
/// <param name="Width">N, every layer's width (J is N x N).</param>
/// <param name="Depths">The depths L, ascending.</param>
/// <param name="Seeds">Networks per (depth, weights).</param>
/// <param name="MinimumGaussianGrowth">The Gaussian spread must grow at least this much from the first depth to the last.</param>
internal sealed record IsometryPlan(int Width, IReadOnlyList<int> Depths, int Seeds, double MinimumGaussianGrowth)
{
    /// <summary>sigma_b^2: small, so q* is small and phi' stays near 1 (Pennington et al. 2017).</summary>
    public const double BiasVariance = 1e-4;

    /// <summary>The paper's set-up at CPU scale: width 256, depths 10 to 200, 3 seeds.</summary>
    public static IsometryPlan Full { get; } = new(256, [10, 50, 100, 200], 3, 5.0);

    /// <summary>
    /// Width 128 and 2 seeds over the same depths: building J costs 2 L N^3, so halving N makes it
    /// 8 times cheaper, while the spreads at N = 128 still follow the large-width law (linear in L)
    /// closely enough that the same 5x from depth 10 to 200 holds.
    /// </summary>
    public static IsometryPlan Quick { get; } = new(128, [10, 50, 100, 200], 2, 5.0);
}
