namespace Gradscope.Tensors;

/// <summary>Special functions the BCL lacks, in double precision (relative error about 1e-15).</summary>
internal static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955125739;
    private const double InvSqrtPi = 0.56418958354775628695;

    /// <summary>The error function, erf(x) = 2/sqrt(pi) * integral_0^x e^-t^2 dt.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
            return double.NaN;
        if (Math.Abs(x) <= 2.0)
            return ErfSeries(x);
        double tail = ErfcContinuedFraction(Math.Abs(x));
        return x > 0 ? 1.0 - tail : tail - 1.0;
    }

    /// <summary>The complementary error function 1 - erf(x), accurate in the far tail where 1 - erf would cancel.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
            return double.NaN;
        if (Math.Abs(x) <= 2.0)
            return 1.0 - ErfSeries(x);
        double tail = ErfcContinuedFraction(Math.Abs(x));
        return x > 0 ? tail : 2.0 - tail;
    }

    // Maclaurin series erf(x) = 2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1)); at |x| <= 2 the
    // largest term is about 10, so cancellation costs about one digit.
    private static double ErfSeries(double x)
    {
        double x2 = x * x;
        double power = x;
        double sum = x;
        for (int n = 1; n < 100; n++)
        {
            power *= -x2 / n;
            double term = power / ((2 * n) + 1);
            sum += term;
            if (Math.Abs(term) < 1e-17 * Math.Abs(sum))
                break;
        }

        return TwoOverSqrtPi * sum;
    }

    // erfc(x) = e^-x^2 / sqrt(pi) * 1 / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + ...)))))
    // for x > 0, evaluated with the modified Lentz algorithm (Numerical Recipes 5.2).
    private static double ErfcContinuedFraction(double x)
    {
        if (x > 27.0)
            return 0.0;
        const double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0.0;
        for (int n = 1; n < 500; n++)
        {
            double a = n * 0.5;
            d = x + (a * d);
            d = Math.Abs(d) < tiny ? tiny : d;
            c = x + (a / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1.0) < 1e-16)
                break;
        }

        return Math.Exp(-x * x) * InvSqrtPi / f;
    }
}
