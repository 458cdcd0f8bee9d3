using System.Text.Json;
using Gradscope.Theory;

namespace Gradscope.Lab.Runs;

/// <summary>
/// The mean-field quantities of one (activation, sigma_w^2, sigma_b^2, depth) as JSON properties: one
/// writer for <c>gradscope theory --json</c> and the dashboard's <c>GET /api/theory</c>, so both
/// name them alike. Quantities the theory leaves undefined (no fixed point) and non-finite ones
/// are null.
/// </summary>
public static class MeanFieldJson
{
    /// <summary>Writes <paramref name="result"/>'s quantities, and <paramref name="criticalWeightVariance"/> when known, into the current object.</summary>
    public static void Write(Utf8JsonWriter w, MeanFieldResult result, double? criticalWeightVariance)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(result);
        w.WriteString("activation", result.Activation);
        w.WriteNumber("weight_var", result.WeightVariance);
        w.WriteNumber("bias_var", result.BiasVariance);
        w.WriteNumber("depth", result.Depth);
        w.WriteString("fixed_point", result.FixedPoint.ToString().ToLowerInvariant());
        JsonNumbers.Write(w, "q_star", result.QStar);
        JsonNumbers.Write(w, "chi1", result.Chi1);
        JsonNumbers.Write(w, "chi_c", result.ChiC);
        JsonNumbers.Write(w, "c_star", result.CStar);
        JsonNumbers.Write(w, "depth_scale", result.DepthScale);
        JsonNumbers.Write(w, "xi_q", result.XiQ);
        JsonNumbers.Write(w, "xi_c", result.XiC);
        w.WriteString("phase", result.Phase.ToString().ToLowerInvariant());
        JsonNumbers.Write(w, "predicted_grad_ratio", result.PredictedGradientRatio);
        JsonNumbers.Write(w, "predicted_jacobian_mean_square", result.PredictedJacobianMeanSquare);
        JsonNumbers.Write(w, "critical_weight_var", criticalWeightVariance);
        w.WriteString("quadrature", result.Quadrature);
        w.WriteString("explanation", result.Explanation);
    }

}
