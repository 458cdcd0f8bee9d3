namespace Gradscope.Theory;

/// <summary>Gauss-Legendre nodes and weights on [-1, 1], for the piecewise Gaussian rule.</summary>
internal static class GaussLegendre
{
    /// <summary>Nodes per panel of <see cref="PiecewiseGaussianRule"/>.</summary>
    public const int PanelOrder = 12;

    private static readonly (double[] Nodes, double[] Weights) Panel = Create(PanelOrder);

    public static ReadOnlySpan<double> PanelNodes => Panel.Nodes;

    public static ReadOnlySpan<double> PanelWeights => Panel.Weights;

    // Newton on the Legendre recurrence from Chebyshev-like first guesses (Numerical Recipes' gauleg).
    public static (double[] Nodes, double[] Weights) Create(int n)
    {
        var nodes = new double[n];
        var weights = new double[n];
        int half = (n + 1) / 2;
        for (int i = 0; i < half; i++)
        {
            double z = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative = 1;
            for (int iteration = 0; iteration < 100; iteration++)
            {
                double p1 = 1, p2 = 0;
                for (int j = 1; j <= n; j++)
                {
                    double p3 = p2;
                    p2 = p1;
                    p1 = ((((2.0 * j) - 1) * z * p2) - ((j - 1) * p3)) / j;
                }

                derivative = n * ((z * p1) - p2) / ((z * z) - 1);
                double step = p1 / derivative;
                z -= step;
                if (Math.Abs(step) <= 1e-16)
                    break;
            }

            nodes[i] = -z;
            nodes[n - 1 - i] = z;
            weights[i] = weights[n - 1 - i] = 2.0 / ((1 - (z * z)) * derivative * derivative);
        }

        return (nodes, weights);
    }
}
