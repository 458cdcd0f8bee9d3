using Gradscope.Tensors;
using Gradscope.Theory;

namespace Gradscope.Tests.Theory;

public sealed class SingularValuesTests
{
    // A = U diag(s) V^T with U, V orthogonal has singular values s exactly; one-sided Jacobi must
    // recover them, including one 1e-12 times the largest (squaring A^T A would lose it).
    [Fact]
    public void OneSidedJacobi_RecoversKnownSingularValues()
    {
        var random = new SeededRandom(3);
        int n = 12;
        double[] expected = [50, 20, 9, 7, 5, 3, 2, 1, 0.5, 0.1, 1e-3, 5e-11];
        var u = new Matrix<double>(n, n);
        var v = new Matrix<double>(n, n);
        RandomWeights.FillOrthogonal(u, 1, random);
        RandomWeights.FillOrthogonal(v, 1, random);
        var a = new Matrix<double>(n, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++)
                    sum += u[i, k] * expected[k] * v[j, k];
                a[i, j] = sum;
            }
        }

        double[] actual = SingularValues.OneSidedJacobi(a);
        for (int k = 0; k < n; k++)
            Assert.True(Math.Abs(actual[k] - expected[k]) <= 1e-12 * 50, $"sigma_{k}: {actual[k]} vs {expected[k]}");
    }

    // The tridiagonal Toeplitz matrix with 2 on the diagonal and -1 beside it has eigenvalues
    // 2 - 2 cos(k pi / (n + 1)), k = 1..n.
    [Fact]
    public void SymmetricEigenvalues_OfToeplitzTridiagonal()
    {
        int n = 20;
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            a[i, i] = 2;
            if (i + 1 < n)
                a[i, i + 1] = a[i + 1, i] = -1;
        }

        double[] values = SingularValues.SymmetricEigenvalues(a);
        for (int k = 1; k <= n; k++)
            Assert.Equal(2 - (2 * Math.Cos((n + 1 - k) * Math.PI / (n + 1))), values[k - 1], 12);
    }

    // Orthogonal weights: W W^T = sigma_w^2 I for square W.
    [Fact]
    public void FillOrthogonal_GivesScaledOrthogonalRows()
    {
        var w = new Matrix<double>(64, 64);
        RandomWeights.FillOrthogonal(w, 1.7, new SeededRandom(5));
        double worst = 0;
        for (int i = 0; i < 64; i++)
        {
            for (int j = 0; j < 64; j++)
            {
                double dot = 0;
                for (int k = 0; k < 64; k++)
                    dot += w[i, k] * w[j, k];
                worst = Math.Max(worst, Math.Abs(dot - (i == j ? 1.7 : 0)));
            }
        }

        Assert.True(worst < 1e-12, $"largest deviation of W W^T from 1.7 I: {worst}");
    }
}
