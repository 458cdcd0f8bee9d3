namespace Gradscope.Diagnostics;

/// <summary>
/// The shape of delta_rms across depth: a least-squares line through log10 delta_rms against the
/// dense-layer index. The slope gives the factor by which each layer scales the backward signal
/// (10^-slope, going toward the input), the ends give the orders of magnitude between the last and
/// the first layer, and -1 / ln(factor) is the empirical depth scale in layers.
/// </summary>
public readonly record struct GradientProfile(double Slope, double PerLayerFactor, double OrdersLastToFirst, double DepthScale, int Layers)
{
    /// <summary>Fits the profile to per-layer delta_rms values, input to output. Non-positive values are floored at 1e-300.</summary>
    public static GradientProfile Fit(ReadOnlySpan<double> deltaRms)
    {
        int n = deltaRms.Length;
        if (n < 2)
            return new GradientProfile(0, 1, 0, double.PositiveInfinity, n);
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int l = 0; l < n; l++)
        {
            double y = Log(deltaRms[l]);
            sx += l;
            sy += y;
            sxx += l * (double)l;
            sxy += l * y;
        }

        double slope = ((n * sxy) - (sx * sy)) / ((n * sxx) - (sx * sx));
        double factor = Math.Pow(10, -slope);
        double orders = Log(deltaRms[n - 1]) - Log(deltaRms[0]);
        double depthScale = factor < 1 ? -1 / Math.Log(factor) : double.PositiveInfinity;
        return new GradientProfile(slope, factor, orders, depthScale, n);
    }

    private static double Log(double v) => Math.Log10(double.IsFinite(v) && v > 0 ? v : 1e-300);
}
