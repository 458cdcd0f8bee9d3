using System.Numerics.Tensors;
using Gradscope.Tensors;

namespace Gradscope.Initialization;

/// <summary>
/// Orthogonal (Saxe et al. 2014), as <c>torch.nn.init.orthogonal_</c>: the Q of the QR decomposition
/// of a Gaussian matrix (transposed when rows &lt; cols), with R's diagonal made positive, times the
/// gain. Rows are orthonormal when rows &lt;= cols (<c>W W^T = gain^2 I</c>), columns otherwise
/// (<c>W^T W = gain^2 I</c>). Computed in double; costs O(rows * cols * min(rows, cols)).
/// </summary>
public sealed record Orthogonal : Initializer
{
    /// <inheritdoc/>
    public override string Name => "orthogonal";

    /// <inheritdoc/>
    public override void Initialize<T>(Matrix<T> weight, SeededRandom rng)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(rng);
        int rows = weight.Rows, cols = weight.Cols;
        int count = Math.Min(rows, cols), length = Math.Max(rows, cols);
        if (count == 0)
            return;

        // The columns of the (transposed when wide) Gaussian matrix, each stored contiguously.
        var vectors = new double[count * length];
        for (int i = 0; i < vectors.Length; i++)
            vectors[i] = rng.NextGaussian();
        Orthonormalize(vectors, count, length);

        for (int j = 0; j < count; j++)
        {
            for (int k = 0; k < length; k++)
            {
                T value = T.CreateTruncating(Gain * vectors[(j * length) + k]);
                if (rows >= cols)
                    weight[k, j] = value;
                else
                    weight[j, k] = value;
            }
        }
    }

    // Modified Gram-Schmidt: vector j minus its projections on the earlier ones, then normalized,
    // which is the Q of A = QR with R's diagonal (the norms) positive: the same Q torch.linalg.qr
    // gives after orthogonal_'s sign fix. Each vector is projected twice ("twice is enough",
    // Giraud et al. 2005) so orthogonality holds to rounding even for ill-conditioned draws.
    private static void Orthonormalize(Span<double> vectors, int count, int length)
    {
        for (int j = 0; j < count; j++)
        {
            Span<double> v = vectors.Slice(j * length, length);
            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = 0; i < j; i++)
                {
                    ReadOnlySpan<double> q = vectors.Slice(i * length, length);
                    TensorPrimitives.MultiplyAdd(q, -TensorPrimitives.Dot(q, v), v, v);
                }
            }

            // A Gaussian draw is rank-deficient with probability 0; a zero norm would mean a broken source.
            double norm = TensorPrimitives.Norm<double>(v);
            if (!(norm > 0))
                throw new InvalidOperationException($"Gram-Schmidt met a dependent vector at column {j}.");
            TensorPrimitives.Divide(v, norm, v);
        }
    }
}
