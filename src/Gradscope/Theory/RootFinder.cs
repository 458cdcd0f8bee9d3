namespace Gradscope.Theory;

/// <summary>Bracketed scalar root finding for the fixed points and the critical line.</summary>
internal static class RootFinder
{
    /// <summary>
    /// A root of <paramref name="f"/> in [a, b], where f(a) and f(b) have opposite signs, by the
    /// Illinois variant of regula falsi: superlinear like the secant method, but the retained end's
    /// value is halved so both ends move and the bracket always shrinks to the root.
    /// </summary>
    public static double Illinois(Func<double, double> f, double a, double b, double fa, double fb, double relativeTolerance)
    {
        if (fa == 0)
            return a;
        if (fb == 0)
            return b;
        int side = 0;
        for (int iteration = 0; iteration < 300; iteration++)
        {
            double c = ((fa * b) - (fb * a)) / (fa - fb);
            if (!(c > Math.Min(a, b) && c < Math.Max(a, b)))
                c = 0.5 * (a + b);
            if (Math.Abs(b - a) <= relativeTolerance * Math.Max(Math.Abs(a), Math.Abs(b)))
                return c;
            double fc = f(c);
            if (fc == 0)
                return c;
            if (Math.Sign(fc) == Math.Sign(fb))
            {
                b = c;
                fb = fc;
                if (side == -1)
                    fa *= 0.5;
                side = -1;
            }
            else
            {
                a = c;
                fa = fc;
                if (side == 1)
                    fb *= 0.5;
                side = 1;
            }
        }

        return 0.5 * (a + b);
    }
}
