namespace Gradscope.Theory;

/// <summary>
/// Nodes and weights for expectations over a standard normal variable:
/// <c>E[f(z)] ~= sum_i Weights[i] f(Nodes[i])</c>, z ~ N(0, 1). The weights include the Gaussian
/// density and sum to 1.
/// </summary>
internal sealed class QuadratureRule
{
    private readonly double[] _nodes;
    private readonly double[] _weights;

    internal QuadratureRule(double[] nodes, double[] weights)
    {
        _nodes = nodes;
        _weights = weights;
    }

    /// <summary>Number of nodes.</summary>
    public int Count => _nodes.Length;

    /// <summary>The points z_i, ascending.</summary>
    public ReadOnlySpan<double> Nodes => _nodes;

    /// <summary>The weights w_i (Gaussian density included; they sum to 1).</summary>
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>E[f(z)] for z ~ N(0, 1), by this rule.</summary>
    public double Expectation(Func<double, double> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        double sum = 0;
        for (int i = 0; i < _nodes.Length; i++)
            sum += _weights[i] * f(_nodes[i]);
        return sum;
    }
}
