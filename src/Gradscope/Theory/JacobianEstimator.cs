using System.Numerics.Tensors;
using Gradscope.Tensors;

namespace Gradscope.Theory;

/// <summary>
/// The Jacobian J = D_L W_L ... D_1 W_1 of a <see cref="RandomNetwork"/> at one input: built
/// explicitly for small widths, or probed through Jacobian-vector products for large ones.
/// The probe products go row by row through <see cref="TensorPrimitives"/>: a few right-hand
/// sides, where a blocked GEMM gains nothing.
/// </summary>
internal static class JacobianEstimator
{
    /// <summary>
    /// Explicit J at each input (N^3 L to build) and all its singular values by one-sided Jacobi
    /// (about 10 N^3 per sweep), pooled over the inputs.
    /// </summary>
    public static JacobianSpectrum Exact(RandomNetwork network, IReadOnlyList<double[][]> inputs)
    {
        var spectra = new List<JacobianSpectrum>(inputs.Count);
        foreach (var derivatives in inputs)
            spectra.Add(Exact(network, derivatives));
        return JacobianSpectrum.Pool(spectra);
    }

    /// <summary>
    /// Hutchinson's estimator with Rademacher probes v (E[v v^T] = I): tr(J^T J) = E||J v||^2 and
    /// tr((J^T J)^2) = E||J^T J v||^2, so the moments cost two passes per probe; each input gets
    /// <paramref name="probes"/> probes and the moments are averaged over inputs. The extreme
    /// singular values are Ritz values of Lanczos on J^T J (first input) with full
    /// reorthogonalization: the largest converges fast; the smallest approaches from above, so it is
    /// reported as an upper bound.
    /// </summary>
    public static JacobianSpectrum Iterative(RandomNetwork network, IReadOnlyList<double[][]> inputs, int probes, int lanczosSteps, SeededRandom random)
    {
        int n = network.Width;
        double m1 = 0, m2 = 0;
        foreach (var derivatives in inputs)
        {
            var v = new Matrix<double>(probes, n);
            foreach (ref double x in v.Span)
                x = random.NextDouble() < 0.5 ? -1.0 : 1.0;
            var jv = Apply(network, derivatives, v);
            m1 += TensorPrimitives.Dot<double>(jv.Span, jv.Span) / (probes * n * inputs.Count);
            var jtjv = ApplyTranspose(network, derivatives, jv);
            m2 += TensorPrimitives.Dot<double>(jtjv.Span, jtjv.Span) / (probes * n * inputs.Count);
        }

        double[] ritz = LanczosRitzValues(network, inputs[0], Math.Min(lanczosSteps, n), random);
        double max = Math.Sqrt(Math.Max(0, ritz[0]));
        double min = Math.Sqrt(Math.Max(0, ritz[^1]));
        return JacobianSpectrum.Create("hutchinson-lanczos", n, network.Depth, m1, m2, max, min, true, null);
    }

    private static JacobianSpectrum Exact(RandomNetwork network, double[][] derivatives)
    {
        int n = network.Width;
        var j = new Matrix<double>(n, n);
        var next = new Matrix<double>(n, n);
        for (int i = 0; i < n; i++)
            j[i, i] = 1;
        for (int l = 0; l < network.Depth; l++)
        {
            // J <- D_l W_l J: the product, then row i scaled by phi'(h_l,i).
            Gemm.Multiply(network.Dense[l].Weight.Value, j, next);
            for (int i = 0; i < n; i++)
                TensorPrimitives.Multiply(next.Row(i), derivatives[l][i], next.Row(i));
            (j, next) = (next, j);
        }

        double[] values = SingularValues.OneSidedJacobi(j);
        double m1 = 0, m2 = 0;
        foreach (double s in values)
        {
            m1 += s * s / n;
            m2 += s * s * s * s / n;
        }

        return JacobianSpectrum.Create("exact", n, network.Depth, m1, m2, values[0], values[^1], false, values);
    }

    // Rows of v are vectors: row <- D_l (W_l row), i.e. V <- (V W_l^T) scaled by D_l column-wise.
    private static Matrix<double> Apply(RandomNetwork network, double[][] derivatives, Matrix<double> v)
    {
        var current = v.Clone();
        var next = new Matrix<double>(v.Rows, v.Cols);
        for (int l = 0; l < network.Depth; l++)
        {
            var weight = network.Dense[l].Weight.Value;
            for (int r = 0; r < next.Rows; r++)
            {
                Span<double> row = next.Row(r);
                for (int o = 0; o < row.Length; o++)
                    row[o] = TensorPrimitives.Dot<double>(weight.Row(o), current.Row(r));
                TensorPrimitives.Multiply(row, derivatives[l], row);
            }

            (current, next) = (next, current);
        }

        return current;
    }

    // Rows of u are vectors: row <- W_l^T (D_l row), from the last layer down.
    private static Matrix<double> ApplyTranspose(RandomNetwork network, double[][] derivatives, Matrix<double> u)
    {
        var current = u.Clone();
        var next = new Matrix<double>(u.Rows, u.Cols);
        for (int l = network.Depth - 1; l >= 0; l--)
        {
            var weight = network.Dense[l].Weight.Value;
            for (int r = 0; r < current.Rows; r++)
            {
                Span<double> row = current.Row(r);
                Span<double> result = next.Row(r);
                TensorPrimitives.Multiply(row, derivatives[l], row);
                result.Clear();
                for (int o = 0; o < row.Length; o++)
                    TensorPrimitives.MultiplyAdd(weight.Row(o), row[o], result, result);
            }

            (current, next) = (next, current);
        }

        return current;
    }

    private static double[] LanczosRitzValues(RandomNetwork network, double[][] derivatives, int steps, SeededRandom random)
    {
        int n = network.Width;
        var basis = new List<double[]>(steps);
        var alpha = new double[steps];
        var beta = new double[steps];
        var q = new double[n];
        for (int i = 0; i < n; i++)
            q[i] = random.NextGaussian();
        TensorPrimitives.Divide(q, TensorPrimitives.Norm<double>(q), q);
        int k = 0;
        for (; k < steps; k++)
        {
            basis.Add(q);
            var w = ApplyNormal(network, derivatives, q);
            alpha[k] = TensorPrimitives.Dot<double>(w, q);
            for (int pass = 0; pass < 2; pass++)
            {
                foreach (var b in basis)
                    TensorPrimitives.MultiplyAdd(b, -TensorPrimitives.Dot<double>(w, b), w, w);
            }

            beta[k] = TensorPrimitives.Norm<double>(w);
            if (beta[k] <= 1e-12 * Math.Abs(alpha[k]) || k == steps - 1)
            {
                k++;
                break;
            }

            TensorPrimitives.Divide(w, beta[k], w);
            q = w;
        }

        var t = new double[k, k];
        for (int i = 0; i < k; i++)
        {
            t[i, i] = alpha[i];
            if (i + 1 < k)
                t[i, i + 1] = t[i + 1, i] = beta[i];
        }

        return SingularValues.SymmetricEigenvalues(t);
    }

    private static double[] ApplyNormal(RandomNetwork network, double[][] derivatives, double[] x)
    {
        var row = new Matrix<double>(1, x.Length, (double[])x.Clone());
        var result = ApplyTranspose(network, derivatives, Apply(network, derivatives, row));
        return result.Span.ToArray();
    }
}
