using Gradscope.Activations;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// Mean-field theory's prediction of how alike two inputs' pre-activations become layer by layer
/// (Poole et al. 2016), for two inputs of any lengths: with weights of variance sigma_w^2 / fan_in
/// and biases of variance sigma_b^2, layer 1 has q_aa = sigma_w^2 |x_a|^2 / n + sigma_b^2 and
/// q_ab = sigma_w^2 x_a . x_b / n + sigma_b^2, and each later layer
/// q_ab' = sigma_w^2 E[phi(u_a) phi(u_b)] + sigma_b^2 over the Gaussian (u_a, u_b) of covariance
/// (q_aa, q_ab, q_bb). The prediction is the uncentred c_l = q_ab / sqrt(q_aa q_bb): sigmoid's
/// non-zero mean is kept, so unlike the odd-activation c map this one is not centred.
/// </summary>
/// <remarks>
/// ReLU uses its closed form (the arc-cosine kernel, Cho and Saul 2009); every other activation
/// is integrated by the trapezoid rule on z in [-8, 8] with step 0.25 in each dimension, which for
/// analytic activations such as sigmoid converges geometrically (error far below 1e-12 at the
/// variances of this experiment); activations with kinks other than ReLU's are not supported.
/// </remarks>
internal sealed class PairCorrelationMap
{
    private const double HalfWidth = 8.0;
    private const double Step = 0.25;
    private readonly Activation _activation;
    private readonly double _weightVariance;
    private readonly double _biasVariance;
    private readonly double[] _nodes;
    private readonly double[] _weights;

    public PairCorrelationMap(Activation activation, double weightVariance, double biasVariance)
    {
        if (activation.Name != "relu" && !IsSmooth(activation))
            throw new ArgumentException($"The pair correlation map integrates smooth activations and ReLU; got {activation.Name}.", nameof(activation));
        _activation = activation;
        _weightVariance = weightVariance;
        _biasVariance = biasVariance;
        (_nodes, _weights) = TrapezoidRule();
    }

    /// <summary>The predicted c_1 .. c_depth of the pre-activations of inputs <paramref name="a"/> and <paramref name="b"/>.</summary>
    public double[] Correlations(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int depth)
    {
        double qa = FirstLayer(a, a), qb = FirstLayer(b, b), qab = FirstLayer(a, b);
        var result = new double[depth];
        for (int l = 0; l < depth; l++)
        {
            result[l] = qa > 0 && qb > 0 ? qab / Math.Sqrt(qa * qb) : double.NaN;
            if (l + 1 < depth)
                (qa, qb, qab) = Next(qa, qb, qab);
        }

        return result;
    }

    /// <summary>One layer of the map: the next (q_aa, q_bb, q_ab) from these.</summary>
    public (double Qa, double Qb, double Qab) Next(double qa, double qb, double qab)
    {
        double c = qa > 0 && qb > 0 ? Math.Clamp(qab / Math.Sqrt(qa * qb), -1, 1) : 0;
        double ea = Cross(qa, qa, 1), eb = Cross(qb, qb, 1), eab = Cross(qa, qb, c);
        return ((_weightVariance * ea) + _biasVariance, (_weightVariance * eb) + _biasVariance, (_weightVariance * eab) + _biasVariance);
    }

    // E[phi(u_a) phi(u_b)] for u_a = sqrt(qa) z1, u_b = sqrt(qb) (c z1 + sqrt(1 - c^2) z2).
    private double Cross(double qa, double qb, double c)
    {
        if (_activation.Name == "relu")
            return ReluCross(qa, qb, c);
        double sa = Math.Sqrt(qa), sb = Math.Sqrt(qb), s = Math.Sqrt(Math.Max(0, 1 - (c * c)));
        double sum = 0;
        for (int i = 0; i < _nodes.Length; i++)
        {
            double inner = 0;
            double shift = sb * c * _nodes[i];
            for (int j = 0; j < _nodes.Length; j++)
                inner += _weights[j] * _activation.Value(shift + (sb * s * _nodes[j]));
            sum += _weights[i] * _activation.Value(sa * _nodes[i]) * inner;
        }

        return sum;
    }

    /// <summary>E[relu(u_a) relu(u_b)] = sqrt(qa qb) (sin t + (pi - t) cos t) / (2 pi), t = arccos c.</summary>
    public static double ReluCross(double qa, double qb, double c)
    {
        double t = Math.Acos(Math.Clamp(c, -1, 1));
        return Math.Sqrt(qa * qb) * (Math.Sin(t) + ((Math.PI - t) * Math.Cos(t))) / (2 * Math.PI);
    }

    private double FirstLayer(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double dot = 0;
        for (int k = 0; k < x.Length; k++)
            dot += x[k] * y[k];
        return (_weightVariance * dot / x.Length) + _biasVariance;
    }

    private static bool IsSmooth(Activation activation) => activation.Name is "identity" or "sigmoid" or "tanh" or "gelu" or "silu" or "softplus";

    // Weights h phi(z) renormalized to sum to 1 (the tails beyond 8 sigma are below 1e-15).
    private static (double[] Nodes, double[] Weights) TrapezoidRule()
    {
        int count = (int)Math.Round(2 * HalfWidth / Step) + 1;
        var nodes = new double[count];
        var weights = new double[count];
        double total = 0;
        for (int i = 0; i < count; i++)
        {
            nodes[i] = -HalfWidth + (i * Step);
            weights[i] = Math.Exp(-0.5 * nodes[i] * nodes[i]);
            total += weights[i];
        }

        for (int i = 0; i < count; i++)
            weights[i] /= total;
        return (nodes, weights);
    }
}
