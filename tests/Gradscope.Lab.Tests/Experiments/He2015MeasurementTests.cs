using Gradscope.Diagnostics;
using Gradscope.Lab.Experiments;
using Gradscope.Lab.Runs;
using Gradscope.Tensors;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Experiments;

public sealed class He2015MeasurementTests
{
    [Fact]
    public void MeanSquareRatios_MatchAHandForwardPass()
    {
        var config = He2015Trials.Config("xor", null, 2, 5, He2015Experiment.HeInit, 1, 3);
        var run = PreparedRun<double>.Create(config);
        var batch = ForwardSignal.FirstRows(run.Train, 40);

        var ratios = ForwardSignal.MeanSquareRatios(run.Network, batch);

        // Parameters: weight and bias of each dense layer, [out, in].
        var p = run.Network.Parameters;
        double input = 0, first = 0, second = 0;
        for (int r = 0; r < batch.Count; r++)
        {
            var x = batch.Row(r).ToArray();
            foreach (double v in x)
                input += v * v;
            var h1 = Layer(p[0].Value, p[1].Value, x);
            var h2 = Layer(p[2].Value, p[3].Value, h1);
            first += h1.Sum(v => v * v);
            second += h2.Sum(v => v * v);
        }

        input /= batch.Count * batch.FeatureCount;
        Assert.Equal(3, ratios.Length);
        Assert.Equal(first / (batch.Count * 5) / input, ratios[0], 10);
        Assert.Equal(second / (batch.Count * 5) / input, ratios[1], 10);
    }

    [Fact]
    public void SameSeed_XavierOverHeIsTwoToTheMinusL()
    {
        // Same draws, He's scaled by sqrt 2; ReLU is positively homogeneous, so layer l differs by 2^l in mean square.
        double[] Ratios(string init)
        {
            var run = PreparedRun<double>.Create(He2015Trials.Config("digits", null, 6, 16, init, 1, 2));
            return ForwardSignal.MeanSquareRatios(run.Network, ForwardSignal.FirstRows(run.Train, 100));
        }

        var xavier = Ratios(He2015Experiment.XavierInit);
        var he = Ratios(He2015Experiment.HeInit);
        for (int l = 0; l < 6; l++)
            Assert.Equal(Math.Pow(2, -(l + 1)), xavier[l] / he[l], 9);
    }

    [Fact]
    public void Stalls_FailsWhenOneEpochMovesMoreThanFivePercent()
    {
        Assert.True(He2015Expectations.Stalls(Trial("Xavier", 2.30, [2.30, 2.29, 2.20])).Passed);
        Assert.False(He2015Expectations.Stalls(Trial("Xavier", 2.30, [2.30, 2.10, 2.29])).Passed);
        Assert.False(He2015Expectations.Stalls(Trial("Xavier", 2.30, [2.30, double.NaN])).Passed);
        Assert.False(He2015Expectations.Stalls(Trial("Xavier", 2.30, [])).Passed);
    }

    [Fact]
    public void Trains_NeedsLowerLossAndAccuracyAboveChance()
    {
        Assert.True(He2015Expectations.Trains(Trial("He", 2.3, [1.0, 0.5], 0.8)).Passed);
        Assert.False(He2015Expectations.Trains(Trial("He", 2.3, [2.0, 1.5], 0.8)).Passed);
        Assert.False(He2015Expectations.Trains(Trial("He", 2.3, [1.0, 0.5], 0.3)).Passed);
    }

    [Fact]
    public void SignalSlope_JudgesTheFittedLog2Slope()
    {
        var halving = Enumerable.Range(1, 30).Select(l => Math.Pow(2, -l)).ToArray();
        var trial = Trial("Xavier", 2.3, [2.3]) with { MeanSquareRatios = halving };

        Assert.Equal(-1, trial.Log2SlopePerLayer, 9);
        Assert.True(He2015Expectations.SignalSlope("halves", trial, -1).Passed);
        Assert.False(He2015Expectations.SignalSlope("level", trial, 0).Passed);
    }

    private static double[] Layer(Matrix<double> weight, Matrix<double> bias, double[] x)
    {
        var h = new double[weight.Rows];
        for (int o = 0; o < h.Length; o++)
        {
            double sum = bias[0, o];
            for (int i = 0; i < x.Length; i++)
                sum += weight[o, i] * x[i];
            h[o] = Math.Max(0, sum);
        }

        return h;
    }

    private static He2015Trial Trial(string label, double start, double[] losses, double testAccuracy = 0.1)
    {
        var config = new TestFlags();
        var empty = new Trace(["0"], [2], [3], "relu");
        var result = new MonitoredRunResult(config, new TrainingResult([], 0, TrainingStatus.Completed, null), empty, new DiagnosisReport([]));
        return new He2015Trial(label, "init", [0.5], start, losses, 0.5, testAccuracy, result);
    }
}
