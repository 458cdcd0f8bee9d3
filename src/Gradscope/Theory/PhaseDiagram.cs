using Gradscope.Activations;

namespace Gradscope.Theory;

/// <summary>The grid of a <see cref="PhaseDiagram"/>: evenly spaced, ends included.</summary>
public sealed record PhaseDiagramOptions
{
    /// <summary>Smallest sigma_w^2 (must be positive).</summary>
    public double MinWeightVariance { get; init; } = 0.5;

    /// <summary>Largest sigma_w^2.</summary>
    public double MaxWeightVariance { get; init; } = 4.0;

    /// <summary>Grid points along sigma_w^2.</summary>
    public int WeightVarianceSteps { get; init; } = 36;

    /// <summary>Smallest sigma_b^2 (zero or more).</summary>
    public double MinBiasVariance { get; init; }

    /// <summary>Largest sigma_b^2.</summary>
    public double MaxBiasVariance { get; init; } = 0.3;

    /// <summary>Grid points along sigma_b^2; the critical line is solved at each.</summary>
    public int BiasVarianceSteps { get; init; } = 16;

    /// <summary>Rows computed at once.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
}

/// <summary>One grid cell: the mean-field quantities a heatmap colours by.</summary>
/// <param name="WeightVariance">sigma_w^2.</param>
/// <param name="BiasVariance">sigma_b^2.</param>
/// <param name="Chi1">chi_1.</param>
/// <param name="XiC">xi_c = -1 / ln chi_c; null where infinite.</param>
/// <param name="DepthScale">-1 / ln chi_1; null where chi_1 &gt;= 1.</param>
/// <param name="Phase">Ordered, critical or chaotic.</param>
/// <param name="FixedPoint">The length map's fixed-point status.</param>
public sealed record PhaseDiagramCell(
    double WeightVariance, double BiasVariance, double Chi1, double? XiC, double? DepthScale, SignalPhase Phase, FixedPointStatus FixedPoint);

/// <summary>A point of the critical line chi_1 = 1.</summary>
/// <param name="BiasVariance">sigma_b^2.</param>
/// <param name="WeightVariance">The critical sigma_w^2; null when chi_1 never reaches 1.</param>
public sealed record CriticalPoint(double BiasVariance, double? WeightVariance);

/// <summary>
/// The (sigma_w^2, sigma_b^2) plane for one activation: chi_1 and xi_c on a grid plus the critical
/// line, as plain data for a plot (Poole et al. 2016, Fig. 1; Schoenholz et al. 2017, Fig. 2).
/// </summary>
/// <param name="Activation">Canonical activation name.</param>
/// <param name="WeightVariances">The sigma_w^2 axis, ascending.</param>
/// <param name="BiasVariances">The sigma_b^2 axis, ascending.</param>
/// <param name="Cells">Bias-major: the cell at (bias b, weight w) is <c>Cells[b * WeightVariances.Length + w]</c>.</param>
/// <param name="CriticalLine">One point per sigma_b^2.</param>
public sealed record PhaseDiagram(
    string Activation, double[] WeightVariances, double[] BiasVariances, IReadOnlyList<PhaseDiagramCell> Cells, IReadOnlyList<CriticalPoint> CriticalLine)
{
    /// <summary>The cell at bias index <paramref name="bias"/> and weight index <paramref name="weight"/>.</summary>
    public PhaseDiagramCell At(int bias, int weight) => Cells[(bias * WeightVariances.Length) + weight];

    /// <summary>Computes the diagram; <paramref name="rowDone"/> is called (from worker threads) as each sigma_b^2 row finishes.</summary>
    /// <exception cref="GradscopeException">The grid is empty or its ranges are invalid; the message names the bound.</exception>
    public static PhaseDiagram Compute(Activation activation, PhaseDiagramOptions? options = null, Action<CriticalPoint>? rowDone = null)
    {
        ArgumentNullException.ThrowIfNull(activation);
        options ??= new PhaseDiagramOptions();
        Validate(options);
        double[] weights = Grid(options.MinWeightVariance, options.MaxWeightVariance, options.WeightVarianceSteps);
        double[] biases = Grid(options.MinBiasVariance, options.MaxBiasVariance, options.BiasVarianceSteps);
        var cells = new PhaseDiagramCell[weights.Length * biases.Length];
        var line = new CriticalPoint[biases.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism) };
        Parallel.For(0, biases.Length, parallel, b =>
        {
            for (int w = 0; w < weights.Length; w++)
            {
                var r = MeanField.Analyze(activation, weights[w], biases[b], depth: 1);
                cells[(b * weights.Length) + w] = new PhaseDiagramCell(weights[w], biases[b], r.Chi1, r.XiC, r.DepthScale, r.Phase, r.FixedPoint);
            }

            line[b] = new CriticalPoint(biases[b], MeanField.CriticalWeightVariance(activation, biases[b]));
            rowDone?.Invoke(line[b]);
        });
        return new PhaseDiagram(activation.Name, weights, biases, cells, line);
    }

    private static double[] Grid(double min, double max, int steps)
    {
        var grid = new double[steps];
        for (int i = 0; i < steps; i++)
            grid[i] = steps == 1 ? min : min + ((max - min) * i / (steps - 1));
        return grid;
    }

    private static void Validate(PhaseDiagramOptions o)
    {
        if (o.WeightVarianceSteps < 1 || o.BiasVarianceSteps < 1)
            throw new GradscopeException($"The phase diagram needs at least one grid point per axis; got {o.WeightVarianceSteps} x {o.BiasVarianceSteps}.");
        if (!(o.MinWeightVariance > 0) || !(o.MaxWeightVariance >= o.MinWeightVariance) || !double.IsFinite(o.MaxWeightVariance))
            throw new GradscopeException($"The sigma_w^2 range must satisfy 0 < min <= max < infinity; got [{o.MinWeightVariance}, {o.MaxWeightVariance}].");
        if (!(o.MinBiasVariance >= 0) || !(o.MaxBiasVariance >= o.MinBiasVariance) || !double.IsFinite(o.MaxBiasVariance))
            throw new GradscopeException($"The sigma_b^2 range must satisfy 0 <= min <= max < infinity; got [{o.MinBiasVariance}, {o.MaxBiasVariance}].");
    }
}
