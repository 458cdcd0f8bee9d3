using System.Globalization;

namespace Gradscope.Diagnostics;

/// <summary>
/// ReLU units that output zero for every sample of a batch: their gradient is exactly zero, so they
/// never recover. Judged at the start and the end of training.
/// </summary>
internal sealed class DeadUnitsRule : IDiagnosisRule
{
    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(DiagnosisContext context)
    {
        var trace = context.Trace;
        if (trace.StepCount == 0)
            yield break;
        var t = context.Thresholds;
        var early = context.Early(LayerStat.Dead);
        var late = context.Late(LayerStat.Dead);
        var layers = new List<int>();
        double worst = 0, sum = 0;
        int considered = 0;
        for (int l = 0; l < trace.LayerCount - 1; l++)
        {
            // Only plain ReLU units die: leaky ReLU passes a gradient when inactive.
            if (context.LayerFacts(l).Activation?.Name != "relu")
                continue;
            double fraction = Math.Max(double.IsFinite(early[l]) ? early[l] : 0, double.IsFinite(late[l]) ? late[l] : 0);
            sum += fraction;
            considered++;
            worst = Math.Max(worst, fraction);
            if (fraction >= t.DeadWarningFraction)
                layers.Add(l);
        }

        if (layers.Count == 0 || DiagnosisContext.Grade(worst, t.DeadWarningFraction, t.DeadErrorFraction) is not { } severity)
            yield break;

        var actMean = context.Early(LayerStat.ActMean);
        var evidence = new Dictionary<string, double>
        {
            ["max_dead_fraction"] = worst,
            ["mean_dead_fraction"] = sum / Math.Max(1, considered),
            ["dead_layers"] = layers.Count,
            ["first_layer_act_mean"] = actMean[0],
        };
        var thresholds = new Dictionary<string, double> { ["warning_fraction"] = t.DeadWarningFraction, ["error_fraction"] = t.DeadErrorFraction };
        string cause = $"Up to {(100 * worst).ToString("0", CultureInfo.InvariantCulture)}% of the ReLU units in a layer are dead: their pre-activation is negative for every sample, so their output and gradient are exactly zero and they cannot recover. " +
            "Usual causes: negative biases or a bad initialization, or a learning rate large enough to push units off.";
        yield return new Finding(FindingKind.DeadUnits, severity, layers, evidence, thresholds, cause,
            RemedyChoice.DeadUnits(context.Network));
    }
}
