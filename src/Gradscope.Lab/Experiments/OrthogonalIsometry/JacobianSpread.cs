using Gradscope.Theory;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// The spread of a Jacobian's squared singular values lambda_i = sigma_i^2, Var(lambda) / E[lambda]^2
/// (0 for an isometry), measured and as free probability predicts it.
/// </summary>
internal static class JacobianSpread
{
    /// <summary>Var(lambda) / mean(lambda)^2 over the singular values sigma_i (lambda_i = sigma_i^2); NaN when all are 0.</summary>
    public static double Measured(IReadOnlyList<double> singularValues)
    {
        ArgumentOutOfRangeException.ThrowIfZero(singularValues.Count);
        double m1 = 0, m2 = 0;
        foreach (double s in singularValues)
        {
            double lambda = s * s;
            m1 += lambda;
            m2 += lambda * lambda;
        }

        m1 /= singularValues.Count;
        m2 /= singularValues.Count;
        return m1 > 0 ? Math.Max(0, m2 - (m1 * m1)) / (m1 * m1) : double.NaN;
    }

    /// <summary>
    /// The large-width prediction for J = D_L W_L ... D_1 W_1. J J^T has the spectrum of the free
    /// product of the L factors W_l W_l^T and the L factors D_l^2 (the weights are rotation-invariant).
    /// A spectrum with moments m1, m2 has S-transform (1/m1)(1 - v z + O(z^2)) with v = m2/m1^2 - 1, and
    /// S-transforms multiply under free products, so the normalized variances v add up exactly:
    /// v_J = L (v_W + v_D). v_W is 1 for Gaussian W (square Marchenko-Pastur) and 0 for orthogonal;
    /// v_D = mu_2 / mu_1^2 - 1 with mu_k = E[phi'(h)^(2k)] at q* (Pennington, Schoenholz and Ganguli
    /// 2017, whose sigma_JJ^T^2 at chi = 1 is the same sum).
    /// </summary>
    /// <param name="depth">L.</param>
    /// <param name="mu1">E[phi'(h)^2].</param>
    /// <param name="mu2">E[phi'(h)^4].</param>
    /// <param name="weights">Gaussian or orthogonal W.</param>
    public static double Predicted(int depth, double mu1, double mu2, WeightDistribution weights)
    {
        double weightsVariance = weights == WeightDistribution.Gaussian ? 1.0 : 0.0;
        double derivativesVariance = (mu2 / (mu1 * mu1)) - 1;
        return depth * (weightsVariance + derivativesVariance);
    }
}
