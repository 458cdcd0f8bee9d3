using System.Numerics;
using Gradscope.Activations;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Layers;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Tensors;
using Gradscope.Training;

namespace Gradscope.Tests.Training;

/// <summary>
/// A batch run as two halves (<see cref="BatchSplit{T}"/>) computes what one pass computes: the
/// same activations, deltas and input gradients bit for bit, the weight gradients to rounding, the
/// layers' taps and monitor statistics over the whole batch; and the same bits whether the halves
/// run at once or in turn.
/// </summary>
public sealed class BatchSplitTests
{
    public static TheoryData<string, string, int> Cases() => new()
    {
        { "sigmoid", "cross-entropy", 128 },
        { "relu", "cross-entropy", 64 },
        { "tanh", "mse", 33 }, // odd: halves of 17 and 16
        { "gelu", "bce", 40 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SplitStep_ComputesWhatOnePassComputes_Double(string activation, string loss, int rows)
    {
        var (split, whole) = Compare<double>(activation, loss, rows);
        AssertSameStep(split, whole, tolerance: 1e-12);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SplitStep_ComputesWhatOnePassComputes_Float(string activation, string loss, int rows)
    {
        var (split, whole) = Compare<float>(activation, loss, rows);
        AssertSameStep(split, whole, tolerance: 2e-5);
    }

    [Fact]
    public void SplitGradient_MatchesCentralFiniteDifferences()
    {
        var model = Network<double>("tanh", hidden: [6, 5], seed: 3, inputs: 4, classes: 3);
        var loss = Loss.Parse<double>("cross-entropy");
        var (input, labels) = Batch<double>(rows: 40, inputs: 4, classes: 3, seed: 4);
        var gradOutput = new Matrix<double>(40, 3);
        model.ZeroGrad();
        BatchSplit<double>.Create(model, loss).Run(input, labels, gradOutput);

        const double h = 1e-6;
        double worst = 0;
        foreach (var parameter in model.Parameters)
        {
            var analytic = parameter.Grad.Clone();
            var values = parameter.Value.Span;
            for (int i = 0; i < values.Length; i++)
            {
                double saved = values[i];
                values[i] = saved + h;
                double plus = MeanLoss(model, loss, input, labels);
                values[i] = saved - h;
                double minus = MeanLoss(model, loss, input, labels);
                values[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                double scale = Math.Max(Math.Max(Math.Abs(numeric), Math.Abs(analytic.Span[i])), 1e-3);
                worst = Math.Max(worst, Math.Abs(numeric - analytic.Span[i]) / scale);
            }
        }

        Assert.True(worst < 1e-6, $"largest relative error {worst:E2}");
    }

    [Fact]
    public void Halves_GiveTheSameBits_WhetherTheyRunAtOnceOrInTurn()
    {
        var together = RunMonitored(inTurn: false);
        var inTurn = RunMonitored(inTurn: true);
        Assert.Equal(inTurn.Weights, together.Weights);
        Assert.Equal(inTurn.Losses, together.Losses);
        foreach (var stat in new[] { LayerStat.GradNorm, LayerStat.DeltaRms, LayerStat.Saturated, LayerStat.Dead, LayerStat.ActMean, LayerStat.ActStd, LayerStat.BiasGradNorm })
        {
            for (int l = 0; l < inTurn.Trace.LayerCount; l++)
                Assert.Equal(inTurn.Trace.Series(stat, l), together.Trace.Series(stat, l));
        }
    }

    [Fact]
    public void Gradients_LeftToAccumulate_AreAddedTo()
    {
        var model = Network<double>("relu", hidden: [8, 8], seed: 5, inputs: 3, classes: 2);
        var (input, labels) = Batch<double>(rows: 36, inputs: 3, classes: 2, seed: 6);
        var split = BatchSplit<double>.Create(model, Loss.Parse<double>("cross-entropy"));
        var gradOutput = new Matrix<double>(36, 2);
        model.ZeroGrad();
        split.Run(input, labels, gradOutput);
        var once = model.Parameters.Select(p => p.Grad.Clone()).ToArray();
        split.Run(input, labels, gradOutput); // no ZeroGrad: adds a second copy
        for (int p = 0; p < once.Length; p++)
        {
            var twice = model.Parameters[p].Grad.Span;
            for (int i = 0; i < twice.Length; i++)
                Assert.Equal(2 * once[p].Span[i], twice[i], 1e-14);
        }
    }

    [Fact]
    public void LabelOutOfRange_GetsTheLossMessage_NotAWorkerFailure()
    {
        var model = Network<float>("relu", hidden: [8], seed: 1, inputs: 3, classes: 2);
        var (input, labels) = Batch<float>(rows: 40, inputs: 3, classes: 2, seed: 2);
        labels[37] = 2;
        var split = BatchSplit<float>.Create(model, Loss.Parse<float>("cross-entropy"));
        var error = Assert.Throws<GradscopeException>(() => split.Run(input, labels, new Matrix<float>(40, 2)));
        Assert.Contains("Label 2 in row 37", error.Message);
    }

    [Fact]
    public void OnlySmallDenseNetworks_OnSeveralCores_SplitTheirBatches()
    {
        bool cores = GemmWorkers.HasWorkers;
        Assert.Equal(cores, TrainerFor(new NetworkSpec(2, [64, 64], 2, Activation.Parse("sigmoid")), 128).SplitsBatches);
        Assert.False(TrainerFor(new NetworkSpec(2, [64, 64], 2, Activation.Parse("sigmoid")), 16).SplitsBatches); // halves too small
        Assert.False(TrainerFor(new NetworkSpec(2, [64, 64], 2, Activation.Parse("sigmoid")), 128, split: false).SplitsBatches);
        Assert.False(TrainerFor(new NetworkSpec(2, [64, 64], 2, Activation.Parse("relu")) { Norm = NormKind.Batch }, 128).SplitsBatches);
        Assert.False(TrainerFor(new NetworkSpec(2, [64, 64], 2, Activation.Parse("relu")) { Dropout = 0.2 }, 128).SplitsBatches);
        Assert.False(TrainerFor(new NetworkSpec(784, [2048, 2048], 10, Activation.Parse("relu")), 256).SplitsBatches); // shared one product at a time
        var model = new NetworkSpec(2, [64], 2, Activation.Parse("relu")).Build<float>(Initializer.Parse("he-normal"), new SeededRandom(1));
        var custom = new Trainer<float>(model, new CustomLoss(), Optimizer.Create<float>("sgd", new OptimizerOptions()), new TrainerOptions { BatchSize = 128 });
        Assert.False(custom.SplitsBatches);
    }

    [Fact]
    public void ComputeThreads_SingleThreaded_KeepsATrainerMadeInsideOnItsThread_AndRestoresOnDispose()
    {
        var spec = new NetworkSpec(2, [64, 64], 2, Activation.Parse("sigmoid"));
        Assert.False(ComputeThreads.IsSingleThreaded);
        using (ComputeThreads.SingleThreaded())
        {
            Assert.True(ComputeThreads.IsSingleThreaded);
            Assert.True(GemmWorkers.SerialOnly);
            Assert.False(TrainerFor(spec, 128).SplitsBatches);
            using (ComputeThreads.SingleThreaded())
                Assert.True(ComputeThreads.IsSingleThreaded);
            Assert.True(ComputeThreads.IsSingleThreaded); // nested scopes restore the outer one's setting
        }

        Assert.False(ComputeThreads.IsSingleThreaded);
        Assert.Equal(GemmWorkers.HasWorkers, TrainerFor(spec, 128).SplitsBatches);
    }

    [Fact]
    public void Trainer_RunsSmallLastBatchesAsOne_AndLargeOnesSplit()
    {
        var spec = new NetworkSpec(4, [16, 16], 3, Activation.Parse("tanh"));
        var data = SyntheticData.Blobs(100, 3, 4, 0.5, seed: 2); // batches of 64 and 36, then of 64 and... per epoch
        var split = TrainerFor(spec, 64);
        var whole = TrainerFor(spec, 64, split: false);
        var resultSplit = split.Train(data);
        var resultWhole = whole.Train(data);
        Assert.Equal(resultWhole.Steps, resultSplit.Steps);
        Assert.Equal(resultWhole.Final!.TrainLoss, resultSplit.Final!.TrainLoss, 1e-4);
        var small = TrainerFor(spec, 20);
        var smallWhole = TrainerFor(spec, 20, split: false);
        Assert.Equal(smallWhole.Train(data).Final!.TrainLoss, small.Train(data).Final!.TrainLoss); // never split: same bits
    }

    [Fact]
    public void DivergingSplitRun_StopsAndTheMonitorLocatesTheFirstNonFiniteValue()
    {
        var spec = new NetworkSpec(4, [32, 32, 32], 3, Activation.Parse("relu"));
        var model = spec.Build<float>(Initializer.Parse("he-normal"), new SeededRandom(1));
        var trainer = new Trainer<float>(
            model,
            Loss.Parse<float>("cross-entropy"),
            Optimizer.Create<float>("sgd", new OptimizerOptions { LearningRate = 1e6 }),
            new TrainerOptions { BatchSize = 64, Epochs = 20 });
        var monitor = new GradientMonitor<float>(model, MonitorOptions.For(MonitorPreset.Cheap));
        trainer.AddObserver(monitor);
        var result = trainer.Train(SyntheticData.Blobs(256, 3, 4, 0.5, seed: 2));
        Assert.Equal(TrainingStatus.Diverged, result.Status);
        Assert.NotNull(monitor.Trace.FirstNonFinite);
        Assert.Equal(result.Steps + 1, monitor.Trace.StepCount); // the diverged step is recorded, not taken
    }

    private sealed record StepState(double Loss, double[][] Outputs, double[][] Deltas, double[][] WeightGrads, double[][] BiasGrads, double[] WeightSquares, double[] ActivationSquares, SaturationStats[] Saturation, double[][] Alive);

    private static (StepState Split, StepState Whole) Compare<T>(string activation, string lossName, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var loss = Loss.Parse<T>(lossName);
        var (input, labels) = Batch<T>(rows, inputs: 5, classes: 3, seed: 11);
        var splitModel = Network<T>(activation, hidden: [24, 20, 24], seed: 9, inputs: 5, classes: 3);
        var wholeModel = Network<T>(activation, hidden: [24, 20, 24], seed: 9, inputs: 5, classes: 3);
        CollectSaturation(splitModel);
        CollectSaturation(wholeModel);

        var gradSplit = new Matrix<T>(rows, 3);
        splitModel.ZeroGrad();
        T splitLoss = BatchSplit<T>.Create(splitModel, loss).Run(input, labels, gradSplit);

        var gradWhole = new Matrix<T>(rows, 3);
        wholeModel.ZeroGrad();
        T wholeLoss = loss.Compute(wholeModel.Forward(input, training: true), labels.AsSpan(0, rows), gradWhole);
        wholeModel.Backward(gradWhole);
        return (State(splitModel, splitLoss), State(wholeModel, wholeLoss));
    }

    private static void CollectSaturation<T>(Sequential<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var layer in model.Layers)
        {
            if (layer is ActivationLayer<T> activation)
                activation.CollectsSaturation = true;
        }
    }

    private static StepState State<T>(Sequential<T> model, T loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dense = model.Layers.OfType<Dense<T>>().ToArray();
        var activations = model.Layers.OfType<ActivationLayer<T>>().ToArray();
        return new StepState(
            double.CreateTruncating(loss),
            [.. dense.Select(d => ToDouble(d.Output.Span)), .. activations.Select(a => ToDouble(a.Output.Span))],
            [.. dense.Select(d => ToDouble(d.GradOutput!.Span)), .. activations.Select(a => ToDouble(a.GradInput.Span)), .. dense.Select(d => ToDouble(d.GradInput.Span))],
            [.. dense.Select(d => ToDouble(d.Weight.Grad.Span))],
            [.. dense.Select(d => ToDouble(d.Bias.Grad.Span))],
            [.. dense.Select(d => d.WeightGradSumOfSquares)],
            [.. activations.Select(a => a.GradInputSumOfSquares)],
            [.. activations.Select(a => a.LastSaturation)],
            [.. activations.Select(a => ToDouble(a.AliveUnits))]);
    }

    private static void AssertSameStep(StepState split, StepState whole, double tolerance)
    {
        Assert.Equal(whole.Loss, split.Loss, tolerance * Math.Max(1, Math.Abs(whole.Loss)));

        // Row by row: the same arithmetic, the same bits.
        Assert.Equal(whole.Outputs.Length, split.Outputs.Length);
        for (int i = 0; i < whole.Outputs.Length; i++)
            Assert.Equal(whole.Outputs[i], split.Outputs[i]);
        for (int i = 0; i < whole.Deltas.Length; i++)
            Assert.Equal(whole.Deltas[i], split.Deltas[i]);
        for (int i = 0; i < whole.Alive.Length; i++)
        {
            Assert.Equal(whole.Alive[i], split.Alive[i]);
            Assert.Equal(whole.Saturation[i].Saturated, split.Saturation[i].Saturated);
            AssertClose(whole.Saturation[i].Sum, split.Saturation[i].Sum, tolerance);
            AssertClose(whole.Saturation[i].SumOfSquares, split.Saturation[i].SumOfSquares, tolerance);
            AssertClose(whole.ActivationSquares[i], split.ActivationSquares[i], tolerance);
        }

        // Summed over the batch in two parts: equal to rounding.
        for (int l = 0; l < whole.WeightGrads.Length; l++)
        {
            AssertClose(whole.WeightGrads[l], split.WeightGrads[l], tolerance);
            AssertClose(whole.BiasGrads[l], split.BiasGrads[l], tolerance);
            AssertClose(whole.WeightSquares[l], split.WeightSquares[l], tolerance);
        }
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0;
        foreach (double v in expected)
            scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(scale, 1e-30), $"element {i}: {actual[i]} vs {expected[i]}");
    }

    private static void AssertClose(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(Math.Abs(expected), 1e-30), $"{actual} vs {expected}");

    private static double[] ToDouble<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = double.CreateTruncating(values[i]);
        return result;
    }

    private static (double[] Weights, double[] Losses, Trace Trace) RunMonitored(bool inTurn)
    {
        double[] weights = [];
        var losses = new List<double>();
        Trace? trace = null;
        var thread = new Thread(() =>
        {
            GemmWorkers.SerialOnly = inTurn;
            var spec = new NetworkSpec(6, [32, 32, 32], 3, Activation.Parse("sigmoid"));
            var trainer = TrainerFor(spec, 96);
            var monitor = new GradientMonitor<float>(trainer.Model, MonitorOptions.For(MonitorPreset.Standard), expectedSteps: 32);
            trainer.AddObserver(monitor);
            var data = SyntheticData.Blobs(96 * 4, 3, 6, 0.7, seed: 3);
            var batch = new int[96];
            for (int step = 0; step < 12; step++)
            {
                for (int i = 0; i < batch.Length; i++)
                    batch[i] = ((step % 4) * 96) + i;
                losses.Add(trainer.Step(data, batch));
            }

            weights = [.. trainer.Model.Parameters.SelectMany(p => ToDouble<float>(p.Value.Span))];
            trace = monitor.Trace;
        });
        thread.Start();
        thread.Join();
        return (weights, [.. losses], trace!);
    }

    private static Trainer<float> TrainerFor(NetworkSpec spec, int batchSize, bool split = true)
    {
        var model = spec.Build<float>(Initializer.Parse("xavier-normal"), new SeededRandom(1));
        return new Trainer<float>(
            model,
            Loss.Parse<float>("cross-entropy"),
            Optimizer.Create<float>("sgd", new OptimizerOptions { LearningRate = 0.5 }),
            new TrainerOptions { BatchSize = batchSize, Epochs = 3, SplitBatch = split });
    }

    private static Sequential<T> Network<T>(string activation, int[] hidden, int seed, int inputs, int classes)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        new NetworkSpec(inputs, hidden, classes, Activation.Parse(activation)).Build<T>(Initializer.Parse("xavier-normal"), new SeededRandom(seed));

    private static (Matrix<T> Input, int[] Labels) Batch<T>(int rows, int inputs, int classes, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new SeededRandom(seed);
        var input = new Matrix<T>(rows, inputs);
        for (int i = 0; i < input.Length; i++)
            input.Span[i] = T.CreateTruncating(2 * rng.NextGaussian());
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
            labels[i] = (int)(rng.NextDouble() * classes) % classes;
        return (input, labels);
    }

    private static double MeanLoss(Sequential<double> model, ILoss<double> loss, Matrix<double> input, int[] labels) =>
        loss.Compute(model.Forward(input, training: false), labels, new Matrix<double>(input.Rows, model.OutputSize));

    private sealed class CustomLoss : ILoss<float>
    {
        public string Name => "custom";

        public float Compute(Matrix<float> output, ReadOnlySpan<int> labels, Matrix<float> gradOutput)
        {
            gradOutput.Resize(output.Rows);
            gradOutput.Clear();
            return 0;
        }
    }
}
