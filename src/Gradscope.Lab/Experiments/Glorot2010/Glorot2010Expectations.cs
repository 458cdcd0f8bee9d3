using System.Globalization;

namespace Gradscope.Lab.Experiments;

/// <summary>The paper's four claims, each checked against measured numbers (pure functions, so they can be tested on made-up ones).</summary>
internal static class Glorot2010Expectations
{
    /// <summary>How much larger the last hidden layer's back-propagated variance must be than the first's to count as falling.</summary>
    public const double FallFactor = 10;

    /// <summary>The largest spread across hidden layers that counts as level (the issue's factor of 2).</summary>
    public const double LevelFactor = 2;

    /// <summary>The mean activation under which sigmoid's top hidden layer counts as saturated toward 0.</summary>
    public const double SaturationLevel = 0.1;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>
    /// Standard init, tanh: the variance of dCost/ds grows layer by layer toward the output and the
    /// last hidden layer's is at least <see cref="FallFactor"/> times the first's.
    /// </summary>
    public static ExpectationResult FallsTowardInput(IReadOnlyList<double> variance)
    {
        bool increasing = true;
        for (int l = 1; l < variance.Count; l++)
            increasing &= variance[l] > variance[l - 1];
        double ratio = variance[^1] / variance[0];
        return new ExpectationResult(
            $"tanh, standard init: the back-propagated gradient's variance falls toward the input (grows layer by layer toward the output, last hidden layer >= {FallFactor:0}x the first)",
            increasing && ratio >= FallFactor,
            $"last/first = {ratio.ToString("0.0", C)}x; layer by layer {(increasing ? "increasing" : "not increasing")}: {Join(variance)}",
            "Fig. 7 (top): the 0-peak of the back-propagated gradients' histogram grows toward the lower layers");
    }

    /// <summary>Normalized init, tanh: the variance of dCost/ds is level, max/min across hidden layers at most <see cref="LevelFactor"/>.</summary>
    /// <param name="variance">Tanh normalized: the variance per hidden layer.</param>
    /// <param name="standardSpread">Tanh standard's max/min, for comparison.</param>
    /// <param name="controlScale">The factor the control scaled the pixels by (MNIST's E[x^2]).</param>
    /// <param name="controlSpread">The control's max/min.</param>
    public static ExpectationResult Level(IReadOnlyList<double> variance, double standardSpread, double controlScale, double controlSpread)
    {
        double spread = InitGradients.Spread(variance);
        return new ExpectationResult(
            $"tanh, normalized init: the back-propagated gradient's variance stays level (max/min across hidden layers <= {LevelFactor:0})",
            spread <= LevelFactor,
            $"max/min = {spread.ToString("0.00", C)}: {Join(variance)} (standard init: {standardSpread.ToString("0.0", C)}; control, pixels x{controlScale.ToString("0.00", C)} to MNIST's E[x^2]: {controlSpread.ToString("0.00", C)})",
            "Fig. 7 (bottom) and Sec. 4.2.1: about the same variance at every layer");
    }

    /// <summary>Sigmoid, standard init: the top hidden layer's mean activation falls below <see cref="SaturationLevel"/> in the first epoch.</summary>
    public static ExpectationResult Saturates(double topMinMean, int steps)
    {
        return new ExpectationResult(
            $"sigmoid, standard init: the top hidden layer saturates toward 0 early (mean activation below {SaturationLevel} in the first epoch)",
            topMinMean < SaturationLevel,
            $"smallest mean activation of the top hidden layer over the first epoch's {steps} steps: {topMinMean.ToString("0.000", C)}",
            "Fig. 2: the top hidden layer quickly saturates at 0, then slowly desaturates");
    }

    /// <summary>Sigmoid (standard init) ends with the highest test error of the paper's Table 1 rows.</summary>
    public static ExpectationResult SigmoidWorst(double sigmoidError, IReadOnlyList<(string Label, double Error)> others)
    {
        bool worst = double.IsFinite(sigmoidError);
        string best = "";
        double highest = double.NegativeInfinity;
        foreach (var (label, error) in others)
        {
            worst &= sigmoidError > error;
            if (error > highest)
                (highest, best) = (error, label);
        }

        return new ExpectationResult(
            "sigmoid (standard init) ends with the highest test error",
            worst,
            $"sigmoid {Percent(sigmoidError)}; highest of the others: {best} {Percent(highest)}",
            "Table 1 (MNIST): sigmoid 2.21%, the others 1.64-1.76%");
    }

    /// <summary>Tanh with the normalized init ends with a test error no higher than with the standard init.</summary>
    public static ExpectationResult NormalizedNoWorse(double normalizedError, double standardError)
    {
        return new ExpectationResult(
            "tanh, normalized init: ends no worse than the standard init (test error)",
            normalizedError <= standardError,
            $"normalized {Percent(normalizedError)}, standard {Percent(standardError)}",
            "Table 1 (MNIST): tanh normalized 1.64%, tanh 1.76%");
    }

    /// <summary>A fraction as a percentage with two decimals.</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("0.00", C) + "%";

    private static string Join(IReadOnlyList<double> values)
    {
        var parts = new string[values.Count];
        for (int i = 0; i < parts.Length; i++)
            parts[i] = values[i].ToString("0.00e+00", C);
        return string.Join(", ", parts);
    }
}
