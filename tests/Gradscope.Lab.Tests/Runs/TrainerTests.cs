using Gradscope.Data;
using Gradscope.Lab.Runs;
using Gradscope.Layers;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Runs;

public sealed class TrainerTests
{
    private static TestFlags SpiralRelu(int seed = 1) => new()
    {
        Data = "spiral",
        Hidden = [32, 32, 32, 32],
        Activation = "relu",
        Init = "he-normal",
        Optimizer = "sgd",
        Epochs = 30,
        BatchSize = 64,
        Seed = seed,
    };

    [Fact]
    public void SpiralRelu_ReachesNinetyFivePercentTrainAccuracy()
    {
        var run = PreparedRun<float>.Create(SpiralRelu());
        var result = run.Trainer.Train(run.Train, run.Test);
        Assert.Equal(TrainingStatus.Completed, result.Status);
        Assert.True(result.Final!.TrainAccuracy >= 0.95, $"train accuracy {result.Final.TrainAccuracy:P1}");
        Assert.Equal(3, run.Spec.OutputSize);
    }

    [Fact]
    public void SameSeed_GivesBitIdenticalWeights()
    {
        var config = SpiralRelu() with { Epochs = 3 };
        var a = PreparedRun<float>.Create(config);
        var b = PreparedRun<float>.Create(config);
        a.Trainer.Train(a.Train, a.Test);
        b.Trainer.Train(b.Train, b.Test);
        for (int p = 0; p < a.Network.Parameters.Count; p++)
            Assert.True(a.Network.Parameters[p].Value.Span.SequenceEqual(b.Network.Parameters[p].Value.Span), $"parameter {p} differs");
    }

    [Fact]
    public void DifferentSeed_GivesDifferentWeights()
    {
        var a = PreparedRun<float>.Create(SpiralRelu(1) with { Epochs = 1 });
        var b = PreparedRun<float>.Create(SpiralRelu(2) with { Epochs = 1 });
        Assert.False(a.Network.Parameters[0].Value.Span.SequenceEqual(b.Network.Parameters[0].Value.Span));
    }

    [Fact]
    public void NanInData_IsRejectedBeforeTraining()
    {
        var ex = Assert.Throws<GradscopeException>(() => new Dataset("bad", [1.0, double.NaN], [0], 2, 2));
        Assert.Contains("NaN", ex.Message);
    }

    [Fact]
    public void HugeLearningRate_StopsWithClearMessage()
    {
        var config = SpiralRelu() with { LearningRate = 1e6, Epochs = 5, Init = "normal:10" };
        var run = PreparedRun<float>.Create(config);
        var result = run.Trainer.Train(run.Train, run.Test);
        Assert.Equal(TrainingStatus.Diverged, result.Status);
        Assert.Contains("the loss became", result.Message);
        Assert.Contains("Lower the learning rate", result.Message);
    }

    [Fact]
    public void MismatchedData_IsRejectedWithShapes()
    {
        var run = PreparedRun<float>.Create(SpiralRelu() with { Epochs = 1 });
        var other = SyntheticData.Blobs(30, 3, 5, 1.0, 1);
        var ex = Assert.Throws<GradscopeException>(() => run.Trainer.Train(other));
        Assert.Equal("The training data has 5 features but the network expects 2.", ex.Message);
    }

    [Fact]
    public void Step_InDouble_MatchesFloatClosely()
    {
        var f = PreparedRun<float>.Create(SpiralRelu() with { Epochs = 1 });
        var d = PreparedRun<double>.Create(SpiralRelu() with { Epochs = 1, UseDouble = true });
        int[] batch = [0, 1, 2, 3, 4, 5, 6, 7];
        double lf = f.Trainer.Step(f.Train, batch);
        double ld = d.Trainer.Step(d.Train, batch);
        Assert.Equal(ld, lf, 4);
    }

    [Fact]
    public void MaxSteps_StopsMidEpoch()
    {
        var run = PreparedRun<float>.Create(SpiralRelu() with { MaxSteps = 5 });
        var result = run.Trainer.Train(run.Train, run.Test);
        Assert.Equal(5, result.Steps);
        Assert.Single(result.Epochs);
    }

    [Fact]
    public void Observer_SeesEveryStepAndEpoch()
    {
        var run = PreparedRun<float>.Create(SpiralRelu() with { Epochs = 2 });
        var counter = new CountingObserver();
        run.Trainer.AddObserver(counter);
        var result = run.Trainer.Train(run.Train, run.Test);
        Assert.Equal(result.Steps, counter.Gradients);
        Assert.Equal(result.Steps, counter.Ends);
        Assert.Equal(2, counter.Epochs);
        Assert.Equal(24, result.Steps); // 720 training rows / 64 = 11.25 -> 12 batches per epoch
    }

    [Fact]
    public void Stop_EndsAtTheNextStepBoundary_Interrupted_WithThePartEpochEvaluated()
    {
        var run = PreparedRun<float>.Create(SpiralRelu() with { Epochs = 1000 });
        using var stop = new CancellationTokenSource();
        run.Trainer.AddObserver(new StopAfter(17, stop));
        var result = run.Trainer.Train(run.Train, run.Test, stop.Token);
        Assert.Equal(TrainingStatus.Interrupted, result.Status);
        Assert.Equal(17, result.Steps);
        Assert.Contains("interrupted after 17 steps (in epoch 2)", result.Message);

        // 12 steps per epoch: one full epoch, then the 5 steps of the second, evaluated as they stand.
        Assert.Equal(2, result.Epochs.Count);
        Assert.Equal(5, result.Epochs[1].Steps);
        Assert.True(double.IsFinite(result.Epochs[1].TrainLoss));
    }

    [Fact]
    public void Stop_BeforeTheFirstStep_TakesNoStep()
    {
        var run = PreparedRun<float>.Create(SpiralRelu());
        var result = run.Trainer.Train(run.Train, run.Test, new CancellationToken(canceled: true));
        Assert.Equal(TrainingStatus.Interrupted, result.Status);
        Assert.Equal(0, result.Steps);
        Assert.Empty(result.Epochs);
    }

    private sealed class StopAfter(int steps, CancellationTokenSource stop) : ITrainingObserver<float>
    {
        public void OnGradients(Sequential<float> model, in StepInfo step)
        {
        }

        public void OnStepEnd(Sequential<float> model, in StepInfo step)
        {
            if (step.Step + 1 == steps)
                stop.Cancel();
        }

        public void OnEpochEnd(EpochResult epoch)
        {
        }
    }

    private sealed class CountingObserver : ITrainingObserver<float>
    {
        public int Gradients { get; private set; }

        public int Ends { get; private set; }

        public int Epochs { get; private set; }

        public void OnGradients(Sequential<float> model, in StepInfo step) => Gradients++;

        public void OnStepEnd(Sequential<float> model, in StepInfo step) => Ends++;

        public void OnEpochEnd(EpochResult epoch) => Epochs++;
    }
}
