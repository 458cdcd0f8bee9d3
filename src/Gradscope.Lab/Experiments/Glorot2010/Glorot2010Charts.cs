using Gradscope.Diagnostics;

namespace Gradscope.Lab.Experiments;

/// <summary>The charts of <see cref="Glorot2010Experiment"/>: Fig. 7's variance per layer and Fig. 2's sigmoid activations.</summary>
internal static class Glorot2010Charts
{
    /// <summary>Points drawn per curve at most; longer series are sampled evenly.</summary>
    public const int MaxPoints = 400;

    /// <summary>The back-propagated gradient's variance per hidden layer at init, log y: tanh standard and normalized, and sigmoid standard.</summary>
    public static ExperimentChart VariancePerLayer(IReadOnlyList<Glorot2010Trial> chosen)
    {
        var series = new List<ChartSeries>();
        foreach (var (activation, normalized) in new[] { ("tanh", false), ("tanh", true), ("sigmoid", false) })
        {
            var trial = Glorot2010Report.Find(chosen, activation, normalized);
            var x = new double[trial.Init.DeltaVariance.Length];
            for (int l = 0; l < x.Length; l++)
                x[l] = l + 1;
            series.Add(new ChartSeries(trial.Configuration.Label, x, trial.Init.DeltaVariance));
        }

        return new ExperimentChart("Back-propagated gradient variance per hidden layer at initialization (Fig. 7)", "hidden layer (1 = nearest the input)", "variance of dCost/ds", true, series);
    }

    /// <summary>Sigmoid (standard init): each hidden layer's mean activation over the first epoch (Fig. 2).</summary>
    public static ExperimentChart SigmoidActivations(IReadOnlyList<Glorot2010Trial> chosen, int stepsPerEpoch)
    {
        var trace = Glorot2010Report.Find(chosen, "sigmoid", normalized: false).Run.Trace;
        int count = 0;
        while (count < trace.StepCount && trace.StepNumber(count) < stepsPerEpoch)
            count++;
        int every = Math.Max(1, (count + MaxPoints - 1) / MaxPoints);
        int hidden = trace.LayerCount - 1;
        var series = new List<ChartSeries>();
        for (int layer = 0; layer < hidden; layer++)
        {
            var x = new List<double>();
            var y = new List<double>();
            for (int s = 0; s < count; s += every)
            {
                x.Add(trace.StepNumber(s));
                y.Add(trace[LayerStat.ActMean, s, layer]);
            }

            series.Add(new ChartSeries(layer == hidden - 1 ? $"layer {layer + 1} (top)" : $"layer {layer + 1}", x, y));
        }

        return new ExperimentChart("Sigmoid, standard init: mean activation per hidden layer over the first epoch (Fig. 2)", "step", "mean activation", false, series);
    }
}
