using Gradscope.Diagnostics;
using Gradscope.Layers;
using Gradscope.Training;

namespace Gradscope.Tests.Diagnostics;

public sealed class GradientMonitorTests
{
    private static MonitoredRunResult Run(MonitorOptions options) => MonitoredRun.Run(
        new RunConfig { Data = "spiral", Hidden = [16, 16], Activation = "tanh", Optimizer = "sgd", LearningRate = 0.1, Epochs = 2, Seed = 3 },
        options);

    [Fact]
    public void UpdateRatio_OfPlainSgd_IsLearningRateTimesGradNormOverWeightNorm()
    {
        var trace = Run(new MonitorOptions()).Trace;
        for (int s = 1; s < trace.StepCount; s++)
        {
            for (int l = 0; l < trace.LayerCount; l++)
            {
                // SGD: W' = W - lr g, so ||W' - W|| / ||W|| = lr ||g|| / ||W||, W's norm being the last step's.
                double expected = 0.1 * trace[LayerStat.GradNorm, s, l] / trace[LayerStat.WeightNorm, s - 1, l];
                Assert.Equal(expected, trace[LayerStat.UpdateRatio, s, l], 4);
            }
        }
    }

    [Fact]
    public void CheapPreset_SamplesUpdateRatioEveryTenSteps()
    {
        var trace = Run(MonitorOptions.For(MonitorPreset.Cheap)).Trace;
        for (int s = 0; s < trace.StepCount; s++)
            Assert.Equal(s % 10 == 0, double.IsFinite(trace[LayerStat.UpdateRatio, s, 0]));
        Assert.True(trace[LayerStat.UpdateRatio, 10, 1] > 0);
        Assert.True(double.IsFinite(trace.MedianOver(LayerStat.UpdateRatio, 0, trace.StepCount)[0]));
    }

    [Fact]
    public void Statistics_MatchTheLayerProbeOfTheSameStep()
    {
        var run = PreparedRun<double>.Create(new RunConfig { Data = "spiral", Hidden = [8, 8], Activation = "sigmoid", Epochs = 1, MaxSteps = 3, Seed = 2, UseDouble = true });
        var capture = new ProbeCapture();
        var result = MonitoredRun.Run(run, MonitorOptions.For(MonitorPreset.Cheap), null, null, capture);
        var probe = capture.Last!;
        for (int l = 0; l < probe.Count; l++)
        {
            Assert.Equal(probe[l].GradNorm, result.Trace[LayerStat.GradNorm, 2, l], 12);
            Assert.Equal(probe[l].DeltaRms, result.Trace[LayerStat.DeltaRms, 2, l], 12);
            Assert.Equal(probe[l].ActStd, result.Trace[LayerStat.ActStd, 2, l], 10);
            Assert.Equal(probe[l].Saturated, result.Trace[LayerStat.Saturated, 2, l], 12);
        }
    }

    [Fact]
    public void Histograms_FollowTheSchedule()
    {
        var trace = Run(new MonitorOptions { HistogramEvery = 10 }).Trace;
        var steps = trace.Histograms.Select(h => h.Step).Distinct().ToArray();
        Assert.Equal(Enumerable.Range(0, trace.StepCount).Where(s => s % 10 == 0), steps);
        var gradient = trace.Histograms.First(h => h.Kind == HistogramKind.Gradient && h.Layer == 0);
        Assert.Equal(16 * 2, gradient.Counts.Sum()); // every weight of the first layer, counted once
        var logSpaced = new MonitorOptions { LogSpacedHistograms = true };
        Assert.Equal([0, 1, 2, 4, 8, 16], Enumerable.Range(0, 20).Where(logSpaced.HistogramsDue));
    }

    [Fact]
    public void GradientHistogram_BinsByDecade_WithZeroAndNonFiniteBins()
    {
        double[] values = [0.0, 3e-5, -7e-5, 2.0, double.NaN, 1e-310];
        var counts = Histograms.Gradient<double>(values);
        Assert.Equal(1, counts[Histograms.ZeroBin]);
        Assert.Equal(1, counts[Histograms.NonFiniteBin]);
        Assert.Equal(2, counts[-5 - Histograms.MinDecade]);
        Assert.Equal(1, counts[0 - Histograms.MinDecade]);
        Assert.Equal(1, counts[0]); // subnormal, below 1e-300
    }

    private sealed class ProbeCapture : ITrainingObserver<double>
    {
        public IReadOnlyList<LayerStatistics>? Last { get; private set; }

        public void OnGradients(Sequential<double> model, in StepInfo step) => Last = LayerProbe.Measure(model);

        public void OnStepEnd(Sequential<double> model, in StepInfo step)
        {
        }

        public void OnEpochEnd(EpochResult epoch)
        {
        }
    }
}
