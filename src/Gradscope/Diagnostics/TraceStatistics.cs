namespace Gradscope.Diagnostics;

/// <summary>Reads a trace's statistics at one step in the shape <see cref="LayerProbe"/> returns.</summary>
public static class TraceStatistics
{
    /// <summary>Per dense layer, the statistics recorded at <paramref name="step"/> (default: the last step).</summary>
    public static IReadOnlyList<LayerStatistics> AtStep(Trace trace, int? step = null)
    {
        int s = step ?? trace.StepCount - 1;
        var result = new List<LayerStatistics>(trace.LayerCount);
        if (s < 0)
            return result;
        for (int l = 0; l < trace.LayerCount; l++)
        {
            result.Add(new LayerStatistics(
                trace.LayerNames[l],
                trace[LayerStat.GradNorm, s, l],
                trace[LayerStat.GradRms, s, l],
                trace[LayerStat.BiasGradNorm, s, l],
                trace[LayerStat.DeltaRms, s, l],
                trace[LayerStat.ActMean, s, l],
                trace[LayerStat.ActStd, s, l],
                trace[LayerStat.Saturated, s, l],
                trace[LayerStat.Dead, s, l],
                trace[LayerStat.WeightNorm, s, l]));
        }

        return result;
    }
}
