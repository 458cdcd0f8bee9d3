using System.Numerics;
using Gradscope.Activations;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Lab.Runs;
using Gradscope.Layers;
using Gradscope.Losses;
using Gradscope.Tensors;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Runs;

/// <summary>
/// Golden scenarios for where the monitor says a NaN or infinity was born: huge but finite values
/// (floats above 1.8e19, doubles above 1.3e154, whose squares overflow their own type) are not
/// non-finite, and the first truly non-finite value is located at the step and layer a naive scan,
/// one value at a time in the order the step computes them, finds.
/// </summary>
public sealed class NonFiniteLocationTests
{
    // Dense layers of 16 ReLU units with every weight `scale`: each layer multiplies by 16 * scale.
    // Floats, scale 1e10: outputs of about 2e10, 3e21, 5e32, then 8e43, which is infinity.
    // Doubles, scale 1e100: 2e100, 3e201, 5e302, then infinity.
    [Fact]
    public void HugeFiniteOutputs_AreNotNonFinite_Float() => CheckFinite<float>(1e10, 1e-33);

    [Fact]
    public void HugeFiniteOutputs_AreNotNonFinite_Double() => CheckFinite<double>(1e100, 1e-303);

    [Fact]
    public void FirstInfiniteOutput_IsLocatedAtItsLayer_Float() => CheckFirstInfinity<float>(1e10);

    [Fact]
    public void FirstInfiniteOutput_IsLocatedAtItsLayer_Double() => CheckFirstInfinity<double>(1e100);

    // Outputs of about 5e22 are finite floats; their squared error is not: the loss is where the
    // infinity was born, before the gradients it makes infinite.
    [Fact]
    public void OverflowingLoss_IsLocatedAtTheLoss()
    {
        var model = Scaled<float>(hidden: 2, 1e10, 1.0);
        var trace = MonitorOneStep(model, out double loss, "mse");
        Assert.True(double.IsInfinity(loss), $"loss {loss}");
        var expected = NaiveScan.First(model, loss, step: 0);
        Assert.Equal(new NonFiniteEvent(0, 2, "loss"), expected);
        Assert.Equal(expected, trace.FirstNonFinite);
        var finding = Diagnosis.Run(MonitoredRun.Context(trace, new TestFlags())).Find(FindingKind.NonFinite);
        Assert.NotNull(finding);
        Assert.Contains("at step 0 in the loss, after layer 3 (", finding.Cause);
    }

    // The reproduction (`train --data spiral --layers 4x32 --lr 1e3 --epochs 5`): outputs
    // grow past 1e19 (floats) or 1e154 (doubles) before anything is non-finite.
    [Fact]
    public void DivergingSpiral_IsLocatedWhereTheNaiveScanFindsIt_Float() => CheckTraining<float>(Math.Sqrt(float.MaxValue));

    [Fact]
    public void DivergingSpiral_IsLocatedWhereTheNaiveScanFindsIt_Double() => CheckTraining<double>(Math.Sqrt(double.MaxValue));

    private static void CheckFinite<T>(double scale, double lastScale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = Scaled<T>(hidden: 3, scale, lastScale);
        var trace = MonitorOneStep(model, out double loss);
        Assert.True(double.IsFinite(loss), $"loss {loss}");
        Assert.Null(NaiveScan.First(model, loss, step: 0));
        Assert.True(trace[LayerStat.ActMean, 0, 2] > 1e30, $"layer 3's mean {trace[LayerStat.ActMean, 0, 2]}");
        Assert.Null(trace.FirstNonFinite);
        for (int l = 0; l < trace.LayerCount; l++)
            Assert.Equal(0, trace[LayerStat.NonFinite, 0, l]);
        if (typeof(T) != typeof(float))
            return;

        // Squared in double, float statistics of these layers are finite, and the naive probe's.
        var probe = LayerProbe.Measure(model);
        for (int l = 0; l < trace.LayerCount; l++)
        {
            Assert.True(double.IsFinite(trace[LayerStat.ActStd, 0, l]) && double.IsFinite(trace[LayerStat.GradNorm, 0, l]), $"layer {l}");
            Assert.Equal(probe[l].ActStd, trace[LayerStat.ActStd, 0, l], probe[l].ActStd * 1e-9);
            Assert.Equal(probe[l].GradNorm, trace[LayerStat.GradNorm, 0, l], probe[l].GradNorm * 1e-12);
        }
    }

    private static void CheckFirstInfinity<T>(double scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = Scaled<T>(hidden: 4, scale, 1.0);
        var trace = MonitorOneStep(model, out double loss);
        var expected = NaiveScan.First(model, loss, step: 0);
        Assert.Equal(new NonFiniteEvent(0, 3, "activation"), expected);
        Assert.Equal(expected, trace.FirstNonFinite);
        var finding = Diagnosis.Run(MonitoredRun.Context(trace, new TestFlags())).Find(FindingKind.NonFinite);
        Assert.NotNull(finding);
        Assert.Contains("at step 0 in the activation of layer 4 (", finding.Cause);
    }

    private static void CheckTraining<T>(double squareOverflows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var config = new TestFlags { Data = "spiral", Hidden = [32, 32, 32, 32], LearningRate = 1e3, Epochs = 5, Seed = 1, UseDouble = typeof(T) == typeof(double) };
        var scan = new NaiveScan<T>();
        var result = MonitoredRun.Run(PreparedRun<T>.Create(config), MonitorOptions.For(MonitorPreset.Cheap), null, null, scan);
        Assert.Equal(TrainingStatus.Diverged, result.Training.Status);
        Assert.NotNull(scan.First);
        Assert.Equal(scan.First, result.Trace.FirstNonFinite);
        Assert.True(scan.LargestBefore > squareOverflows, $"largest finite output before it: {scan.LargestBefore:E2}");
    }

    // A network of 2 inputs, `hidden` ReLU layers of 16 and 2 outputs; hidden weights all `scale`,
    // output weights +lastScale and -lastScale, biases zero.
    private static Sequential<T> Scaled<T>(int hidden, double scale, double lastScale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var spec = new NetworkSpec(2, [.. Enumerable.Repeat(16, hidden)], 2, Activation.Parse("relu"));
        var model = spec.Build<T>(Initializer.Parse("he-normal"), new SeededRandom(1));
        var dense = model.Layers.OfType<Dense<T>>().ToArray();
        foreach (var layer in dense)
        {
            bool last = layer == dense[^1];
            var w = layer.Weight.Value.Span;
            for (int i = 0; i < w.Length; i++)
                w[i] = T.CreateTruncating(last ? (i < layer.InputSize ? lastScale : -lastScale) : scale);
            layer.Bias.Value.Span.Clear();
        }

        return model;
    }

    // One training step's forward and backward pass on 8 rows of inputs in [0.5, 1.5], measured.
    private static Trace MonitorOneStep<T>(Sequential<T> model, out double loss, string lossName = "cross-entropy")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new SeededRandom(2);
        var input = new Matrix<T>(8, 2);
        for (int i = 0; i < input.Length; i++)
            input.Span[i] = T.CreateTruncating(rng.NextUniform(0.5, 1.5));
        int[] labels = [0, 1, 0, 1, 0, 1, 0, 1];
        var lossFunction = Loss.Parse<T>(lossName);
        var monitor = new GradientMonitor<T>(model, new MonitorOptions());
        model.ZeroGrad();
        var output = model.Forward(input, training: true);
        var gradOutput = new Matrix<T>(8, 2);
        loss = double.CreateTruncating(lossFunction.Compute(output, labels, gradOutput));
        model.Backward(gradOutput);
        var step = new StepInfo(0, 0, loss, 8, 0.1);
        monitor.OnGradients(model, step);
        monitor.OnStepEnd(model, step);
        return monitor.Trace;
    }

    /// <summary>
    /// The oracle: every value tested with IsFinite, in the order a step computes them (each dense
    /// layer's pre-activation, then its activation; the loss; the weight gradients from the last
    /// layer back), at every step until the first non-finite one.
    /// </summary>
    private sealed class NaiveScan<T> : ITrainingObserver<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public NonFiniteEvent? First { get; private set; }

        /// <summary>The largest magnitude of a layer output seen before the first non-finite value.</summary>
        public double LargestBefore { get; private set; }

        public void OnGradients(Sequential<T> model, in StepInfo step)
        {
            if (First is not null)
                return;
            First = NaiveScan.First(model, step.Loss, step.Step);
            var layers = MonitoredLayers.Find(model);
            int end = First is { Where: "activation" } first ? first.Layer : layers.Count;
            for (int l = 0; l < end; l++)
            {
                LargestBefore = Math.Max(LargestBefore, NaiveScan.LargestFinite<T>(layers[l].Dense.Output.Span));
                if (layers[l].Activation is { } activation)
                    LargestBefore = Math.Max(LargestBefore, NaiveScan.LargestFinite<T>(activation.Output.Span));
            }
        }

        public void OnStepEnd(Sequential<T> model, in StepInfo step)
        {
        }

        public void OnEpochEnd(EpochResult epoch)
        {
        }
    }

    private static class NaiveScan
    {
        public static NonFiniteEvent? First<T>(Sequential<T> model, double loss, int step)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var layers = MonitoredLayers.Find(model);
            for (int l = 0; l < layers.Count; l++)
            {
                if (!AllFinite<T>(layers[l].Dense.Output.Span) || (layers[l].Activation is { } a && !AllFinite<T>(a.Output.Span)))
                    return new NonFiniteEvent(step, l, "activation");
            }

            if (!double.IsFinite(loss))
                return new NonFiniteEvent(step, layers.Count - 1, "loss");
            for (int l = layers.Count - 1; l >= 0; l--)
            {
                if (!AllFinite<T>(layers[l].Dense.Weight.Grad.Span))
                    return new NonFiniteEvent(step, l, "gradient");
            }

            return null;
        }

        public static double LargestFinite<T>(ReadOnlySpan<T> values)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            double largest = 0;
            foreach (var v in values)
            {
                if (T.IsFinite(v))
                    largest = Math.Max(largest, Math.Abs(double.CreateTruncating(v)));
            }

            return largest;
        }

        private static bool AllFinite<T>(ReadOnlySpan<T> values)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            foreach (var v in values)
            {
                if (!T.IsFinite(v))
                    return false;
            }

            return true;
        }
    }
}
