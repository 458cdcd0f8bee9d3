using Gradscope.Data;
using Gradscope.Data.Sequences;
using Gradscope.Initialization;
using Gradscope.Layers;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Tests.TestSupport;
using Gradscope.Training;

namespace Gradscope.Tests.Recurrent;

/// <summary>
/// Many-to-many and stacked recurrent networks trained by the ordinary <see cref="Trainer{T}"/>:
/// the whole network's gradient, per-step labels, accuracy over the scored steps, and the refusals.
/// </summary>
public sealed class ManyToManyTests
{
    private const int Steps = 4, Features = 2, Classes = 3;

    public static TheoryData<string, bool> Networks() => new()
    {
        { """{"layers":[{"type":"gru","hidden":3,"sequence":"all"}]}""", true },
        { """{"layers":[{"type":"rnn","hidden":3,"sequence":"all"},{"type":"activation","name":"tanh"},{"type":"dense","units":4}]}""", true },
        { """{"layers":[{"type":"lstm","hidden":3,"sequence":"all"},{"type":"lstm","hidden":3,"sequence":"all"}]}""", true },
        { """{"layers":[{"type":"gru","hidden":3,"sequence":"all"},{"type":"rnn","hidden":3,"sequence":"all"},{"type":"dense","units":3}]}""", true },
        { """{"layers":[{"type":"lstm","hidden":3,"sequence":"all"},{"type":"gru","hidden":3,"sequence":"last"}]}""", false },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void TrainerGradient_MatchesFiniteDifferencesOfTheMeanCrossEntropy_ForEveryTensor(string json, bool perStep)
    {
        var network = Network(json);
        var data = NetworkGradientCheck.RandomSequences(3, Steps, Features, Classes, perStep, seed: 5, scoredFrom: 1);

        Assert.True(NetworkGradientCheck.MaxRelativeError(network, data) < 1e-6);
    }

    [Fact]
    public void Evaluate_PerStepLabels_CountsOnlyTheScoredSteps()
    {
        var network = Network("""{"layers":[{"type":"gru","hidden":3,"sequence":"all"}]}""");
        var data = NetworkGradientCheck.RandomSequences(5, Steps, Features, Classes, perStep: true, seed: 2, scoredFrom: 2);
        var trainer = Trainer(network, batchSize: 2);

        var evaluation = trainer.Evaluate(data);

        var input = new Gradscope.Tensors.Matrix<double>(5, Steps * Features);
        data.CopyRows<double>([0, 1, 2, 3, 4], input.Span);
        var output = network.Forward(input, training: false);
        int correct = 0;
        for (int b = 0; b < 5; b++)
        {
            for (int t = 2; t < Steps; t++)
                correct += SoftmaxCrossEntropy<double>.ArgMax(output.Row((b * Steps) + t)) == data.StepLabels!.Values[(b * Steps) + t] ? 1 : 0;
        }

        Assert.Equal(correct / 10.0, evaluation.Accuracy, 12);
        Assert.Equal(new SoftmaxCrossEntropy<double>().Compute(output, data.StepLabels!.Values, new Gradscope.Tensors.Matrix<double>(0, Classes)), evaluation.Loss, 12);
    }

    [Fact]
    public void Train_ManyToOneNetworkOnPerStepLabels_IsRefusedNamingTheLayersSequence()
    {
        var network = Network("""{"layers":[{"type":"lstm","hidden":3,"sequence":"last"}]}""");
        var data = NetworkGradientCheck.RandomSequences(4, Steps, Features, Classes, perStep: true, seed: 1);

        var ex = Assert.Throws<GradscopeException>(() => Trainer(network, 4).Train(data));

        Assert.Contains("layer 1, type lstm", ex.Message);
        Assert.Contains("\"sequence\": \"last\"", ex.Message);
        Assert.Contains("set \"sequence\": \"all\"", ex.Message);
    }

    [Fact]
    public void Train_ManyToManyNetworkOnOneLabelPerSequence_IsRefusedNamingTheLayersSequence()
    {
        var network = Network("""{"layers":[{"type":"gru","hidden":3,"sequence":"all"},{"type":"gru","hidden":3,"sequence":"all"}]}""");
        var data = NetworkGradientCheck.RandomSequences(4, Steps, Features, Classes, perStep: false, seed: 1);

        var ex = Assert.Throws<GradscopeException>(() => Trainer(network, 4).Train(data));

        Assert.Contains("(layer 2, type gru)", ex.Message);
        Assert.Contains("set \"sequence\": \"last\"", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void CopyTaskData_HasALabelPerStep_TheSymbolsAtTheRecallSteps_InEveryEpochsDraw(int epoch)
    {
        var data = SequenceTaskData.Create("copy", 3, 6, seed: 4);
        data.EpochRefill!.Refill(epoch);

        var task = new CopyTask(3);
        var labels = Assert.IsType<StepLabels>(data.StepLabels);
        Assert.Equal(task.MaxLength, labels.Steps);
        Assert.Equal(3 + task.CopyLength, labels.ScoredFrom);
        Assert.Equal(new SequenceShape(task.MaxLength, task.InputSize, "copy") { TaskLength = 3 }, data.Sequence);
        for (int b = 0; b < data.Count; b++)
        {
            var row = data.Row(b);
            for (int t = 0; t < labels.Steps; t++)
            {
                int expected = t >= labels.ScoredFrom ? row.Slice((t - labels.ScoredFrom) * task.InputSize, task.InputSize).IndexOf(1.0) : 0;
                Assert.Equal(expected, labels.Values[(b * labels.Steps) + t]);
            }
        }
    }

    [Fact]
    public void CopyTaskData_Refill_RedrawsTheStepLabelsInPlace_AndTheHeldOutSetHasItsOwn()
    {
        var data = SequenceTaskData.Create("copy", 3, 8, seed: 4);
        var labels = data.StepLabels!.Values;
        var epoch0 = (int[])labels.Clone();

        data.EpochRefill!.Refill(1);
        var heldOut = data.EpochRefill.DrawHeldOut(4);

        Assert.Same(labels, data.StepLabels.Values);
        Assert.False(epoch0.AsSpan().SequenceEqual(labels), "epoch 1's step labels equal epoch 0's");
        Assert.Equal(4 * data.StepLabels.Steps, heldOut.StepLabels!.Values.Length);
        Assert.Equal(data.StepLabels.ScoredFrom, heldOut.StepLabels.ScoredFrom);
    }

    [Fact]
    public void Subset_PerStepLabels_FollowTheirRows()
    {
        var data = NetworkGradientCheck.RandomSequences(4, Steps, Features, Classes, perStep: true, seed: 3, scoredFrom: 1);

        var subset = data.Subset([2, 0]);

        Assert.Equal([.. data.StepLabels!.Values.AsSpan(2 * Steps, Steps), .. data.StepLabels.Values.AsSpan(0, Steps)], subset.StepLabels!.Values);
        Assert.Equal(1, subset.StepLabels.ScoredFrom);
    }

    [Fact]
    public void StepLabels_OutsideTheClasses_AreRefusedNamingRowAndStep()
    {
        var ex = Assert.Throws<GradscopeException>(() => new Dataset("d", new double[4], [0, 0], 2, 2) { StepLabels = new StepLabels([0, 1, 1, 2], 2) });

        Assert.Contains("row 1, step 1 has label 2", ex.Message);
    }

    private static Sequential<double> Network(string json)
    {
        var spec = NetworkSpec.FromJson(json, Features, Classes) with { Steps = Steps };
        var network = spec.Build<double>(new GlorotUniform(), new SeededRandom(3));

        // Larger weights than PyTorch's default at H = 3 make the gates work away from their linear region, where mistakes show.
        foreach (var p in network.Parameters)
        {
            Span<double> v = p.Value.Span;
            for (int i = 0; i < v.Length; i++)
                v[i] *= 1.5;
        }

        return network;
    }

    private static Trainer<double> Trainer(Sequential<double> network, int batchSize) =>
        new(network, Loss.Parse<double>("cross-entropy"), Optimizer.Create<double>("sgd", new OptimizerOptions { LearningRate = 0.1 }), new TrainerOptions { BatchSize = batchSize, Epochs = 1 });
}
