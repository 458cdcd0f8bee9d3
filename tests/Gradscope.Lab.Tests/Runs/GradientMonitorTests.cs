using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Layers;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Runs;

public sealed class GradientMonitorTests
{
    private static MonitoredRunResult Run(MonitorOptions options) => MonitoredRun.Run(
        new TestFlags { Data = "spiral", Hidden = [16, 16], Activation = "tanh", Optimizer = "sgd", LearningRate = 0.1, Epochs = 2, Seed = 3 },
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

    // The probe is the naive oracle of the monitor's fused path: every statistic, every layer, every
    // step, float and double, in a healthy run and in one whose outputs pass 1e19 before they
    // overflow (its squares overflowed float lanes once).
    [Theory]
    [InlineData(false, 0.1)]
    [InlineData(true, 0.1)]
    [InlineData(false, 1e3)]
    [InlineData(true, 1e3)]
    public void EveryStatistic_MatchesTheNaiveProbe(bool useDouble, double learningRate)
    {
        var config = new TestFlags { Data = "spiral", Hidden = [32, 32, 32, 32], Activation = "relu", LearningRate = learningRate, Epochs = 2, MaxSteps = 12, Seed = 2, UseDouble = useDouble };
        if (useDouble)
            CompareWithProbe<double>(config);
        else
            CompareWithProbe<float>(config);
    }

    private static void CompareWithProbe<T>(TestFlags config)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var capture = new ProbeCapture<T>();
        var trace = MonitoredRun.Run(PreparedRun<T>.Create(config), new MonitorOptions(), null, null, capture).Trace;
        Assert.Equal(capture.Steps.Count, trace.StepCount);
        for (int s = 0; s < trace.StepCount; s++)
        {
            for (int l = 0; l < trace.LayerCount; l++)
            {
                var probe = capture.Steps[s][l];
                string at = $"step {s} layer {l}";
                AssertSame(probe.GradNorm, trace[LayerStat.GradNorm, s, l], probe.GradNorm, $"grad_norm {at}");
                AssertSame(probe.GradRms, trace[LayerStat.GradRms, s, l], probe.GradRms, $"grad_rms {at}");
                AssertSame(probe.BiasGradNorm, trace[LayerStat.BiasGradNorm, s, l], probe.BiasGradNorm, $"bias_grad_norm {at}");
                AssertSame(probe.DeltaRms, trace[LayerStat.DeltaRms, s, l], probe.DeltaRms, $"delta_rms {at}");
                double rms = Math.Sqrt((probe.ActMean * probe.ActMean) + (probe.ActStd * probe.ActStd));
                AssertSame(probe.ActMean, trace[LayerStat.ActMean, s, l], rms, $"act_mean {at}");
                double std = trace[LayerStat.ActStd, s, l];
                AssertSame(probe.ActStd * probe.ActStd, std * std, rms * rms * 100, $"act_std^2 {at}");
                Assert.Equal(probe.Saturated, trace[LayerStat.Saturated, s, l]);
                Assert.Equal(probe.Dead, trace[LayerStat.Dead, s, l]);
                Assert.Equal(capture.NonFinite[s][l], trace[LayerStat.NonFinite, s, l]);
                if (s + 1 < capture.Steps.Count)
                {
                    // The weights after step s are the weights the probe sees before step s + 1.
                    double after = capture.Steps[s + 1][l].WeightNorm;
                    AssertSame(after, trace[LayerStat.WeightNorm, s, l], after, $"weight_norm {at}");
                }
            }
        }
    }

    // The same NaN or infinity, or equal to double rounding (1e-12 of `scale`; finite at least
    // where the scale itself overflowed).
    private static void AssertSame(double expected, double actual, double scale, string what)
    {
        if (!double.IsFinite(expected))
            Assert.True(expected.Equals(actual), $"{what}: {actual} instead of {expected}");
        else if (!double.IsFinite(scale))
            Assert.True(double.IsFinite(actual), $"{what}: {actual} instead of {expected}");
        else
            Assert.True(Math.Abs(expected - actual) <= 1e-12 * scale, $"{what}: {actual} vs {expected}");
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

    // The naive probe of every step, and each layer's count of NaN and infinite values in its
    // weight gradient and output, tested one value at a time.
    private sealed class ProbeCapture<T> : ITrainingObserver<T>
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public List<IReadOnlyList<LayerStatistics>> Steps { get; } = [];

        public List<double[]> NonFinite { get; } = [];

        public void OnGradients(Sequential<T> model, in StepInfo step)
        {
            Steps.Add(LayerProbe.Measure(model));
            var layers = MonitoredLayers.Find(model);
            var counts = new double[layers.Count];
            for (int l = 0; l < layers.Count; l++)
            {
                var output = layers[l].Activation?.Output ?? layers[l].Dense.Output;
                counts[l] = CountNonFinite(layers[l].Dense.Weight.Grad.Span) + CountNonFinite(output.Span);
            }

            NonFinite.Add(counts);
        }

        public void OnStepEnd(Sequential<T> model, in StepInfo step)
        {
        }

        public void OnEpochEnd(EpochResult epoch)
        {
        }

        private static int CountNonFinite(ReadOnlySpan<T> values)
        {
            int count = 0;
            foreach (var v in values)
            {
                if (!T.IsFinite(v))
                    count++;
            }

            return count;
        }
    }
}
