namespace Gradscope.Lab.Experiments;

/// <summary>One sigma_w^2 of the grid: the theory's depth scale beside the measured trainable depth over seeds.</summary>
/// <param name="WeightVariance">sigma_w^2.</param>
/// <param name="Chi1">chi_1.</param>
/// <param name="XiC">xi_c; null when infinite (critical).</param>
/// <param name="PredictedDepth">6 xi_c; null when infinite.</param>
/// <param name="MeasuredDepths">Per seed: the deepest grid depth trained, every shallower one too (0 for none).</param>
/// <param name="DeepestGridDepth">The grid's largest depth: a measured depth equal to it is only a lower bound.</param>
internal sealed record PropagationSummary(
    double WeightVariance, double Chi1, double? XiC, double? PredictedDepth, IReadOnlyList<int> MeasuredDepths, int DeepestGridDepth)
{
    /// <summary>Mean measured trainable depth over seeds.</summary>
    public double MeanDepth
    {
        get
        {
            double sum = 0;
            foreach (int d in MeasuredDepths)
                sum += d;
            return sum / MeasuredDepths.Count;
        }
    }

    /// <summary>True when every seed trained the deepest grid depth: the true limit may lie beyond the grid.</summary>
    public bool Censored
    {
        get
        {
            foreach (int d in MeasuredDepths)
            {
                if (d < DeepestGridDepth)
                    return false;
            }

            return true;
        }
    }

    /// <summary>Mean measured depth over 6 xi_c; null when 6 xi_c is infinite.</summary>
    public double? Ratio => PredictedDepth is { } p ? MeanDepth / p : null;
}
