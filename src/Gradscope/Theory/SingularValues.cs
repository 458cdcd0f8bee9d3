using System.Numerics.Tensors;
using Gradscope.Tensors;

namespace Gradscope.Theory;

/// <summary>Dense eigen- and singular-value solvers in double, by Jacobi rotations.</summary>
internal static class SingularValues
{
    private const int MaxSweeps = 60;

    /// <summary>
    /// Singular values of a square or rectangular matrix, descending, by one-sided Jacobi (Hestenes):
    /// each rotation is the symmetric Jacobi rotation that zeroes one off-diagonal entry of A A^T,
    /// applied to A's rows, so A A^T's eigenvalues come out as squared row norms without ever forming
    /// A A^T. Same rotations, but small singular values keep their relative accuracy, where squaring
    /// first would lose everything below 1e-8 of the largest. Overwrites <paramref name="a"/>.
    /// </summary>
    public static double[] OneSidedJacobi(Matrix<double> a)
    {
        int n = a.Rows;
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            bool rotated = false;
            for (int i = 0; i < n - 1; i++)
            {
                for (int j = i + 1; j < n; j++)
                    rotated |= RotatePair(a.Row(i), a.Row(j));
            }

            if (!rotated)
                break;
        }

        var values = new double[n];
        for (int i = 0; i < n; i++)
            values[i] = TensorPrimitives.Norm<double>(a.Row(i));
        Array.Sort(values, (x, y) => y.CompareTo(x));
        return values;
    }

    /// <summary>Eigenvalues of a symmetric matrix, descending, by cyclic Jacobi. Overwrites <paramref name="a"/>.</summary>
    public static double[] SymmetricEigenvalues(double[,] a)
    {
        int n = a.GetLength(0);
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            double off = 0, scale = 0;
            for (int i = 0; i < n; i++)
            {
                scale += a[i, i] * a[i, i];
                for (int j = i + 1; j < n; j++)
                    off += a[i, j] * a[i, j];
            }

            if (off <= 1e-30 * scale)
                break;
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                    RotateSymmetric(a, p, q);
            }
        }

        var values = new double[n];
        for (int i = 0; i < n; i++)
            values[i] = a[i, i];
        Array.Sort(values, (x, y) => y.CompareTo(x));
        return values;
    }

    private static bool RotatePair(Span<double> x, Span<double> y)
    {
        double alpha = TensorPrimitives.Dot<double>(x, x);
        double beta = TensorPrimitives.Dot<double>(y, y);
        double gamma = TensorPrimitives.Dot<double>(x, y);
        if (Math.Abs(gamma) <= 1e-15 * Math.Sqrt(alpha * beta) || gamma == 0)
            return false;
        (double c, double s) = Rotation(alpha, beta, gamma);
        for (int k = 0; k < x.Length; k++)
        {
            double xk = x[k], yk = y[k];
            x[k] = (c * xk) - (s * yk);
            y[k] = (s * xk) + (c * yk);
        }

        return true;
    }

    private static void RotateSymmetric(double[,] a, int p, int q)
    {
        double gamma = a[p, q];
        if (gamma == 0)
            return;
        (double c, double s) = Rotation(a[p, p], a[q, q], gamma);
        int n = a.GetLength(0);
        for (int k = 0; k < n; k++)
        {
            double akp = a[k, p], akq = a[k, q];
            a[k, p] = (c * akp) - (s * akq);
            a[k, q] = (s * akp) + (c * akq);
        }

        for (int k = 0; k < n; k++)
        {
            double apk = a[p, k], aqk = a[q, k];
            a[p, k] = (c * apk) - (s * aqk);
            a[q, k] = (s * apk) + (c * aqk);
        }
    }

    // The rotation that zeroes the off-diagonal of [[alpha, gamma], [gamma, beta]]; the smaller
    // root of t^2 + 2 zeta t - 1 = 0 keeps the angle below pi / 4 (Golub and Van Loan, 8.5.2).
    private static (double C, double S) Rotation(double alpha, double beta, double gamma)
    {
        double zeta = (beta - alpha) / (2 * gamma);
        double t = Math.Sign(zeta == 0 ? 1 : zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + (zeta * zeta)));
        double c = 1 / Math.Sqrt(1 + (t * t));
        return (c, c * t);
    }
}
