using Gradscope.Theory;

namespace Gradscope.Lab.Experiments;

/// <summary>One measured network: the spectrum of J at one input.</summary>
/// <param name="Depth">L.</param>
/// <param name="Weights">Gaussian or orthogonal.</param>
/// <param name="Seed">The network's seed.</param>
/// <param name="MeanSquared">mean(sigma_i^2), predicted chi_1^L = 1 at criticality.</param>
/// <param name="Spread">Var(sigma_i^2) / mean(sigma_i^2)^2.</param>
/// <param name="Log10Condition">log10(max sigma / min sigma); infinity when the smallest is 0.</param>
internal sealed record IsometryCell(int Depth, WeightDistribution Weights, int Seed, double MeanSquared, double Spread, double Log10Condition);

/// <summary>The cells of one (depth, weights) pair, averaged over seeds, beside the prediction.</summary>
/// <param name="Depth">L.</param>
/// <param name="Weights">Gaussian or orthogonal.</param>
/// <param name="MeanSquared">Mean over seeds of mean(sigma_i^2).</param>
/// <param name="Spread">Mean over seeds of the spread.</param>
/// <param name="SpreadDeviation">Standard deviation of the spread across seeds (0 for one seed).</param>
/// <param name="Log10Condition">Mean over seeds of log10 of the condition number.</param>
/// <param name="PredictedSpread">The free-probability prediction (<see cref="JacobianSpread.Predicted"/>).</param>
internal sealed record IsometrySummary(
    int Depth, WeightDistribution Weights, double MeanSquared, double Spread, double SpreadDeviation, double Log10Condition, double PredictedSpread)
{
    /// <summary>Averages <paramref name="cells"/> (all of one depth and weights).</summary>
    public static IsometrySummary Of(IReadOnlyList<IsometryCell> cells, double predictedSpread)
    {
        ArgumentOutOfRangeException.ThrowIfZero(cells.Count);
        double meanSquared = 0, spread = 0, condition = 0;
        foreach (var c in cells)
        {
            meanSquared += c.MeanSquared / cells.Count;
            spread += c.Spread / cells.Count;
            condition += c.Log10Condition / cells.Count;
        }

        double squares = 0;
        foreach (var c in cells)
            squares += (c.Spread - spread) * (c.Spread - spread);
        double deviation = cells.Count > 1 ? Math.Sqrt(squares / (cells.Count - 1)) : 0;
        return new IsometrySummary(cells[0].Depth, cells[0].Weights, meanSquared, spread, deviation, condition, predictedSpread);
    }
}
