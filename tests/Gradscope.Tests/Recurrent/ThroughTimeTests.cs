using Gradscope.Data;
using Gradscope.Data.Sequences;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Layers;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Recurrent;
using Gradscope.Tensors;
using Gradscope.Training;

namespace Gradscope.Tests.Recurrent;

/// <summary>Spectral norms, the through-time trace, and recurrent networks trained by the ordinary trainer with the monitor.</summary>
public sealed class ThroughTimeTests
{
    [Fact]
    public void SpectralNorm_MatchesKnownSingularValue()
    {
        // [[3, 0], [4, 5]]: W^T W = [[25, 20], [20, 25]], eigenvalues 45 and 5, so lambda_1 = sqrt(45).
        var w = new Matrix<double>(2, 2);
        w[0, 0] = 3;
        w[1, 0] = 4;
        w[1, 1] = 5;
        Assert.Equal(Math.Sqrt(45), SpectralNorm.Largest(w), 9);
    }

    [Fact]
    public void SpectralNorm_OfOrthogonalBlocks_IsOne()
    {
        var rnn = new SimpleRnn<double>(2, 16);
        rnn.Initialize(new SeededRandom(4), orthogonalRecurrent: true);
        Assert.Equal(1.0, SpectralNorm.Largest(rnn.WeightHh.Value), 9);
    }

    [Fact]
    public void TimeTrace_ProfileFromEnd_AlignsVariableLengthsAtTheEnd()
    {
        var trace = new TimeTrace(maxLength: 4);
        trace.Record([1e-4, 1e-2, 1.0]);
        trace.Record([1e-6, 1e-4, 1e-2, 1.0]);
        double[] profile = trace.ProfileFromEnd(0, 2);
        Assert.Equal(3, profile.Length);
        Assert.Equal(1.0, profile[0], 12);
        Assert.Equal(1e-2, profile[1], 12);
        Assert.Equal(1e-4, profile[2], 12);
        Assert.True(double.IsNaN(trace[0, 3]));
        Assert.Equal(4, trace.Length(1));
    }

    [Fact]
    public void TimeTrace_TooLongSequence_SaysBothLengths()
    {
        var trace = new TimeTrace(maxLength: 3);
        var ex = Assert.Throws<GradscopeException>(() => trace.Record([1.0, 1.0, 1.0, 1.0]));
        Assert.Equal("A time trace sized for 3 steps cannot record a sequence of 4 steps.", ex.Message);
    }

    [Fact]
    public void Trainer_LstmLearnsShortAddingProblem_AndTheMonitorRecordsEveryStepThroughTime()
    {
        var data = SequenceTaskData.Create("adding", 10, 2048, seed: 3);
        var model = Network("""{"layers":[{"type":"lstm","hidden":16,"forget_bias":1}]}""", data, seed: 2);
        var trainer = new Trainer<float>(model, Loss.Parse<float>("mse"), Optimizer.Create<float>("adam", new OptimizerOptions { LearningRate = 0.01 }),
            new TrainerOptions { Epochs = 6, BatchSize = 32, ClipNorm = 1, Seed = 3 });
        var monitor = new GradientMonitor<float>(model, MonitorOptions.For(MonitorPreset.Cheap), expectedSteps: 400);
        trainer.AddObserver(monitor);
        double before = trainer.Evaluate(data).Loss;

        var result = trainer.Train(data);

        Assert.Equal(TrainingStatus.Completed, result.Status);
        var time = Assert.Single(monitor.Trace.ThroughTime).Norms;
        Assert.Equal(result.Steps, time.StepCount);
        Assert.Equal(10, time.Length(0));
        Assert.True(result.Final!.TrainLoss < 0.5 * before, $"final loss {result.Final.TrainLoss} vs before {before}");
        Assert.True(result.Final.TrainAccuracy > new AddingProblem(10).ChanceAccuracy + 0.2, $"accuracy {result.Final.TrainAccuracy}");
    }

    [Fact]
    public void Trainer_NetworkThatDoesNotFitTheSequences_SaysBothSizes()
    {
        var data = SequenceTaskData.Create("adding", 10, 16, seed: 1);
        var spec = NetworkSpec.FromJson("""{"layers":[{"type":"gru","hidden":4}]}""", 3, 1) with { Steps = 10 };
        var trainer = new Trainer<float>(spec.Build<float>(new GlorotUniform(), new SeededRandom(1)), Loss.Parse<float>("mse"),
            Optimizer.Create<float>("adam", new OptimizerOptions()), new TrainerOptions { Epochs = 1 });

        var ex = Assert.Throws<GradscopeException>(() => trainer.Train(data));

        Assert.Equal("The training data has 20 features but the network expects 30.", ex.Message);
    }

    [Theory]
    [InlineData("copy", "all")]
    [InlineData("temporal-order", "last")]
    public void Trainer_ClassificationTasks_RunAndScore(string name, string sequence)
    {
        var data = SequenceTaskData.Create(name, 10, 160, seed: 1);
        var model = Network($$"""{"layers":[{"type":"gru","hidden":8,"sequence":"{{sequence}}"}]}""", data, seed: 1);
        var trainer = new Trainer<float>(model, Loss.Parse<float>("cross-entropy"), Optimizer.Create<float>("adam", new OptimizerOptions()),
            new TrainerOptions { Epochs = 1, BatchSize = 8 });

        var result = trainer.Train(data);

        Assert.Equal(20, result.Steps);
        Assert.True(double.IsFinite(result.Final!.TrainLoss));
        Assert.InRange(result.Final.TrainAccuracy, 0.0, 1.0);
    }

    private static Sequential<float> Network(string json, Dataset data, int seed)
    {
        int outputs = data.Regression?.Width ?? data.ClassCount;
        var spec = NetworkSpec.FromJson(json, data.Sequence!.Features, outputs) with { Steps = data.Sequence.Steps };
        return spec.Build<float>(new GlorotUniform(), new SeededRandom(seed));
    }
}
