namespace Gradscope.Theory;

/// <summary>
/// Singular values of the input-output Jacobian J = dx_L/dx_0 = D_L W_L ... D_1 W_1 of a random
/// network, where D_l = diag(phi'(h_l)). Mean-field theory predicts the mean squared singular value
/// chi_1^L; dynamical isometry (Pennington et al. 2017) asks for all of them near 1.
/// </summary>
public sealed record JacobianSpectrum
{
    /// <summary><c>exact</c> (one-sided Jacobi SVD of the explicit J) or <c>hutchinson-lanczos</c>.</summary>
    public required string Method { get; init; }

    /// <summary>N, the network's width (J is N x N).</summary>
    public required int Width { get; init; }

    /// <summary>L, the number of layers J spans.</summary>
    public required int Depth { get; init; }

    /// <summary>Mean of sigma_i^2, tr(J^T J) / N; predicted to be chi_1^L.</summary>
    public required double MeanSquaredSingularValue { get; init; }

    /// <summary>Variance of the sigma_i^2, tr((J^T J)^2) / N - (tr(J^T J) / N)^2: the spectrum's spread.</summary>
    public required double SquaredSingularValueVariance { get; init; }

    /// <summary>Standard deviation of the sigma_i^2 over their mean: 0 for perfect isometry, scale-free.</summary>
    public required double RelativeSpread { get; init; }

    /// <summary>Largest singular value.</summary>
    public required double MaxSingularValue { get; init; }

    /// <summary>Smallest singular value; with Lanczos an upper bound (a Ritz value), see <see cref="MinIsUpperBound"/>.</summary>
    public required double MinSingularValue { get; init; }

    /// <summary>Max over min singular value (infinite when the min is 0); a lower bound when <see cref="MinIsUpperBound"/>.</summary>
    public required double ConditionNumber { get; init; }

    /// <summary>True when the minimum comes from Lanczos, which approaches it from above.</summary>
    public required bool MinIsUpperBound { get; init; }

    /// <summary>All singular values, descending, for the exact method; null for the iterative one.</summary>
    public required double[]? SingularValues { get; init; }

    /// <summary>Pools per-seed spectra: means of the moments, extremes over all, singular values concatenated.</summary>
    public static JacobianSpectrum Pool(IReadOnlyList<JacobianSpectrum> spectra)
    {
        ArgumentOutOfRangeException.ThrowIfZero(spectra.Count);
        double m1 = 0, m2 = 0, max = 0, min = double.PositiveInfinity;
        var values = new List<double>();
        bool exact = true;
        foreach (var s in spectra)
        {
            m1 += s.MeanSquaredSingularValue / spectra.Count;
            m2 += (s.SquaredSingularValueVariance + (s.MeanSquaredSingularValue * s.MeanSquaredSingularValue)) / spectra.Count;
            max = Math.Max(max, s.MaxSingularValue);
            min = Math.Min(min, s.MinSingularValue);
            if (s.SingularValues is null)
                exact = false;
            else
                values.AddRange(s.SingularValues);
        }

        if (exact)
            values.Sort((x, y) => y.CompareTo(x));
        return Create(spectra[0].Method, spectra[0].Width, spectra[0].Depth, m1, m2, max, min, spectra[0].MinIsUpperBound, exact ? [.. values] : null);
    }

    internal static JacobianSpectrum Create(string method, int width, int depth, double m1, double m2, double max, double min, bool minIsUpperBound, double[]? values)
    {
        double variance = Math.Max(0.0, m2 - (m1 * m1));
        return new JacobianSpectrum
        {
            Method = method,
            Width = width,
            Depth = depth,
            MeanSquaredSingularValue = m1,
            SquaredSingularValueVariance = variance,
            RelativeSpread = m1 > 0 ? Math.Sqrt(variance) / m1 : double.NaN,
            MaxSingularValue = max,
            MinSingularValue = min,
            ConditionNumber = min > 0 ? max / min : double.PositiveInfinity,
            MinIsUpperBound = minIsUpperBound,
            SingularValues = values,
        };
    }
}
