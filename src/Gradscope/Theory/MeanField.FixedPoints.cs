namespace Gradscope.Theory;

/// <summary>Solving for the length fixed point q* and the correlation fixed point c*.</summary>
public sealed partial class MeanField
{
    /// <summary>Lengths above this count as diverged.</summary>
    private const double MaxLength = 1e12;

    /// <summary>Lengths below this, still falling, count as q* = 0.</summary>
    private const double MinLength = 1e-100;

    /// <summary>Where the q -> 0+ limit is evaluated when q* = 0.</summary>
    private const double ZeroLimitLength = 1e-30;

    private const double LengthTolerance = 1e-14;

    // A gap L(q) - q smaller than this times q is quadrature rounding, not a sign: softplus at
    // sigma_w^2 = 2 has L(q) = q + O(1 / sqrt(q)), which must read as diverging, not as a q* of 1e10.
    private const double GapNoise = 1e-12;

    // Plain iteration from q = 1 picks the attracting fixed point (the length map is increasing, so
    // the iterates are monotone); a bracket and Illinois then finish what slow, near-critical
    // iterations would take thousands of steps to reach.
    private (FixedPointStatus Status, double QStar) SolveLengthFixedPoint()
    {
        if (IsEveryLengthFixed())
            return (FixedPointStatus.Degenerate, double.NaN);
        double q = 1;
        for (int iteration = 0; iteration < 100; iteration++)
        {
            double next = LengthMap(q);
            if (!(next <= MaxLength))
                return (FixedPointStatus.Diverges, double.NaN);
            if (next < MinLength)
                return (FixedPointStatus.Zero, 0.0);
            if (Math.Abs(next - q) <= LengthTolerance * q)
                return (FixedPointStatus.Converged, next);
            q = next;
        }

        double gap = LengthMap(q) - q;
        return gap > 0 ? SearchUp(q, gap) : SearchDown(q, gap);
    }

    private (FixedPointStatus, double) SearchUp(double low, double lowGap)
    {
        for (double high = 2 * low; high <= MaxLength; high *= 2)
        {
            double highGap = LengthMap(high) - high;
            if (highGap < -GapNoise * high)
                return (FixedPointStatus.Converged, RootFinder.Illinois(Gap, low, high, lowGap, highGap, LengthTolerance));
            (low, lowGap) = (high, highGap);
        }

        return (FixedPointStatus.Diverges, double.NaN);
    }

    private (FixedPointStatus, double) SearchDown(double high, double highGap)
    {
        for (double low = high / 16; low >= MinLength; low /= 16)
        {
            double lowGap = LengthMap(low) - low;
            if (lowGap > GapNoise * low)
                return (FixedPointStatus.Converged, RootFinder.Illinois(Gap, low, high, lowGap, highGap, LengthTolerance));
            (high, highGap) = (low, lowGap);
        }

        return (FixedPointStatus.Zero, 0.0);
    }

    private double Gap(double q) => LengthMap(q) - q;

    // Positively homogeneous activations at sigma_b^2 = 0 with sigma_w^2 E[phi(z)^2] = 1 map every
    // length to itself (ReLU at sigma_w^2 = 2): a continuum of fixed points, no q* to report.
    private bool IsEveryLengthFixed()
    {
        foreach (double q in (ReadOnlySpan<double>)[0.25, 1.0, 4.0])
        {
            if (Math.Abs(LengthMap(q) - q) > 1e-12 * q)
                return false;
        }

        return true;
    }

    // c = 1 is always fixed; it is stable when the map's slope there is <= 1. Otherwise the map, convex on
    // [0, 1] (its Hermite expansion has non-negative coefficients), crosses the diagonal exactly once
    // below 1, with f(0) >= 0 and f(1 - delta) < 1 - delta for small delta.
    private double SolveCorrelationFixedPoint(double slopeAtOne)
    {
        if (slopeAtOne <= 1)
            return 1.0;
        // Odd activations at sigma_b^2 = 0 have f(0) = 0 exactly; quadrature leaves ~1e-17.
        double f0 = CorrelationMap(0);
        if (f0 <= 1e-14)
            return 0.0;
        foreach (double delta in (ReadOnlySpan<double>)[1e-2, 1e-4, 1e-6, 1e-8])
        {
            double high = 1 - delta;
            double gapHigh = CorrelationMap(high) - high;
            if (gapHigh < 0)
                return RootFinder.Illinois(c => CorrelationMap(c) - c, 0, high, f0, gapHigh, 1e-10);
        }

        return 1.0;
    }

    private string Explain() => Status switch
    {
        FixedPointStatus.Converged => $"The pre-activation variance settles at q* = {QStar:G6}.",
        FixedPointStatus.Zero => "The signal dies out (q* = 0); the quantities are the q -> 0 limits, and every input correlation is preserved there.",
        FixedPointStatus.Degenerate => "Every variance q is a fixed point (sigma_w^2 E[phi(z)^2] = 1 with sigma_b^2 = 0); the quantities do not depend on q.",
        _ => $"The pre-activation variance grows without bound (no q*); the quantities are the q -> infinity limits, on {Activation.Name}'s linear asymptote.",
    };
}
