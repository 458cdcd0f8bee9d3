using Gradscope.Tensors;

namespace Gradscope.Theory;

/// <summary>
/// The random weights mean-field theory describes: Gaussian N(0, sigma_w^2 / n_in), or scaled
/// orthogonal with the same second moment. Kept here so the theory does not depend on the
/// initializers; both draw only from <see cref="SeededRandom"/>.
/// </summary>
internal static class RandomWeights
{
    /// <summary>W[out, in] with entries N(0, weightVariance / in).</summary>
    public static void FillGaussian(Matrix<double> weight, double weightVariance, SeededRandom random)
    {
        double std = Math.Sqrt(weightVariance / weight.Cols);
        Span<double> w = weight.Span;
        for (int i = 0; i < w.Length; i++)
            w[i] = std * random.NextGaussian();
    }

    /// <summary>
    /// W[out, in] = sigma_w Q with Q Haar-orthogonal (orthonormal rows when out &lt;= in, orthonormal
    /// columns scaled by sqrt(out / in) otherwise), so E[(W x)_i^2] = sigma_w^2 ||x||^2 / in as for
    /// Gaussian weights.
    /// </summary>
    public static void FillOrthogonal(Matrix<double> weight, double weightVariance, SeededRandom random)
    {
        int rows = weight.Rows, cols = weight.Cols;
        bool wide = rows <= cols;
        var q = new Matrix<double>(wide ? rows : cols, wide ? cols : rows);
        FillGaussian(q, 1.0, random);
        OrthonormalizeRows(q);
        double scale = Math.Sqrt(weightVariance) * (wide ? 1.0 : Math.Sqrt((double)rows / cols));
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
                weight[r, c] = scale * (wide ? q[r, c] : q[c, r]);
        }
    }

    /// <summary>N(0, biasVariance) entries.</summary>
    public static void FillBias(Matrix<double> bias, double biasVariance, SeededRandom random)
    {
        double std = Math.Sqrt(biasVariance);
        Span<double> b = bias.Span;
        for (int i = 0; i < b.Length; i++)
            b[i] = std * random.NextGaussian();
    }

    // Modified Gram-Schmidt, run twice per row ("twice is enough", Giraud et al. 2005) so the rows
    // are orthonormal to rounding. Gram-Schmidt's R has a positive diagonal by construction, which is
    // the sign convention that makes Q Haar-distributed (Mezzadri 2007): no sign correction needed,
    // unlike Householder QR.
    public static void OrthonormalizeRows(Matrix<double> a)
    {
        for (int i = 0; i < a.Rows; i++)
        {
            Span<double> row = a.Row(i);
            for (int pass = 0; pass < 2; pass++)
            {
                for (int j = 0; j < i; j++)
                {
                    ReadOnlySpan<double> done = a.Row(j);
                    double projection = System.Numerics.Tensors.TensorPrimitives.Dot(row, done);
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(done, -projection, row, row);
                }
            }

            double norm = System.Numerics.Tensors.TensorPrimitives.Norm<double>(row);
            System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, row);
        }
    }
}
