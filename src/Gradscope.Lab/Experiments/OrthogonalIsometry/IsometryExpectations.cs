using System.Globalization;

namespace Gradscope.Lab.Experiments;

/// <summary>The orthogonal-isometry claims, checked on the mean spreads per depth (ascending depths).</summary>
internal static class IsometryExpectations
{
    /// <summary>The Gaussian spread rises from each depth to the next and by at least <paramref name="minimumGrowth"/> from the first to the last.</summary>
    public static ExpectationResult GaussianGrowth(IReadOnlyList<int> depths, IReadOnlyList<double> gaussian, double minimumGrowth)
    {
        bool rising = true;
        for (int i = 1; i < gaussian.Count; i++)
            rising &= gaussian[i] > gaussian[i - 1];
        double growth = gaussian[^1] / gaussian[0];
        return new ExpectationResult(
            $"the Gaussian spread grows with depth, at least {G(minimumGrowth)}x from L = {depths[0]} to L = {depths[^1]}",
            rising && growth >= minimumGrowth,
            $"spread {Path(depths, gaussian)}: {G(growth)}x{(rising ? "" : ", not rising at every depth")}",
            "sigma_JJ^T^2 grows linearly in L for Gaussian weights (Pennington et al. 2017, eq. 16)");
    }

    /// <summary>
    /// The orthogonal spread rises per layer at most a fifth as fast as the Gaussian's, the slope
    /// taken from the first depth to the last. (Not the ratio of the two growth factors: free
    /// probability makes both spreads linear in L, so both factors are about L_last / L_first.)
    /// </summary>
    public static ExpectationResult OrthogonalGrowth(IReadOnlyList<int> depths, IReadOnlyList<double> gaussian, IReadOnlyList<double> orthogonal)
    {
        double layers = depths[^1] - depths[0];
        double gaussianSlope = (gaussian[^1] - gaussian[0]) / layers;
        double orthogonalSlope = (orthogonal[^1] - orthogonal[0]) / layers;
        return new ExpectationResult(
            $"the orthogonal spread grows with depth at most a fifth as fast as the Gaussian's (L = {depths[0]} to {depths[^1]})",
            gaussianSlope > 0 && orthogonalSlope <= gaussianSlope / 5,
            $"per layer: orthogonal +{G(orthogonalSlope)}, Gaussian +{G(gaussianSlope)} ({G(orthogonalSlope / gaussianSlope)} of it); " +
                $"orthogonal spread {Path(depths, orthogonal)}",
            "orthogonal weights at small q* approach dynamical isometry; Gaussian weights cannot (Pennington et al. 2017)");
    }

    /// <summary>The orthogonal spread lies within <paramref name="tolerance"/> (relative) of the free-probability prediction at every depth.</summary>
    public static ExpectationResult OrthogonalMatchesTheory(IReadOnlyList<int> depths, IReadOnlyList<double> orthogonal, IReadOnlyList<double> predicted, double tolerance)
    {
        bool within = true;
        double worst = 0;
        for (int i = 0; i < orthogonal.Count; i++)
        {
            double error = Math.Abs((orthogonal[i] / predicted[i]) - 1);
            worst = Math.Max(worst, error);
            within &= error <= tolerance;
        }

        return new ExpectationResult(
            $"the orthogonal spread follows free probability, L (mu_2 / mu_1^2 - 1), within {G(100 * tolerance)}% at every depth",
            within,
            $"measured {Path(depths, orthogonal)} against predicted {Path(depths, predicted)}: worst {G(100 * worst)}% off",
            "sigma_JJ^T^2 = L (mu_2 / mu_1^2 - 1) for orthogonal weights at chi = 1 (Pennington et al. 2017)");
    }

    private static string Path(IReadOnlyList<int> depths, IReadOnlyList<double> spreads)
    {
        var parts = new string[depths.Count];
        for (int i = 0; i < parts.Length; i++)
            parts[i] = $"{G(spreads[i])} (L = {depths[i]})";
        return string.Join(" -> ", parts);
    }

    /// <summary>Three significant digits, invariant culture.</summary>
    internal static string G(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
}
