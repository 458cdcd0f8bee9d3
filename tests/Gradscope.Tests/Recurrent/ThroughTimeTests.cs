using Gradscope.Data.Sequences;
using Gradscope.Recurrent;
using Gradscope.Tensors;

namespace Gradscope.Tests.Recurrent;

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
    public void Trainer_LstmLearnsShortAddingProblem_AndRecordsEveryStep()
    {
        var task = new AddingProblem(10);
        var model = new SequenceModel<float>(new Lstm<float>(2, 16, forgetGateBias: true), 1, SequenceOutput.ManyToOne);
        model.Initialize(new SeededRandom(2));
        var trainer = new SequenceTrainer<float>(model, task, new SequenceTrainerOptions { Steps = 400, LearningRate = 0.01, Seed = 3 });
        var result = trainer.Train();
        Assert.False(result.Diverged);
        Assert.Equal(400, trainer.TimeTrace.StepCount);
        Assert.InRange(trainer.TimeTrace.Length(0), 10, 11);
        Assert.True(result.FinalLoss < 0.5 * trainer.Losses[0], $"final loss {result.FinalLoss} vs first {trainer.Losses[0]}");
        Assert.True(result.Evaluation.Accuracy > task.ChanceAccuracy + 0.2, $"accuracy {result.Evaluation.Accuracy}");
    }

    [Fact]
    public void Trainer_ModelThatDoesNotFitTask_SaysBoth()
    {
        var model = new SequenceModel<float>(new Gru<float>(3, 4), 1, SequenceOutput.ManyToOne);
        var ex = Assert.Throws<GradscopeException>(() => new SequenceTrainer<float>(model, new AddingProblem(10)));
        Assert.Equal("The model (3 inputs, 1 outputs, ManyToOne) does not fit the adding task (2 inputs, 1 outputs, ManyToOne).", ex.Message);
    }

    [Theory]
    [InlineData("copy")]
    [InlineData("temporal-order")]
    public void Trainer_ClassificationTasks_RunAndScore(string name)
    {
        var task = SequenceTasks.Create(name, 10);
        var model = new SequenceModel<float>(new Gru<float>(task.InputSize, 8), task.OutputSize, task.Output);
        model.Initialize(new SeededRandom(1));
        var trainer = new SequenceTrainer<float>(model, task, new SequenceTrainerOptions { Steps = 20, BatchSize = 8 });
        var result = trainer.Train();
        Assert.True(double.IsFinite(result.FinalLoss));
        Assert.InRange(result.Evaluation.Accuracy, 0.0, 1.0);
        Assert.Equal(64, result.Evaluation.Sequences);
    }
}
