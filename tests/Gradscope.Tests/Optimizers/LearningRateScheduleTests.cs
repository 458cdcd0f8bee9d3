using Gradscope.Optimizers;

namespace Gradscope.Tests.Optimizers;

public class LearningRateScheduleTests
{
    [Fact]
    public void Constant_IsTheSameAtEveryEpoch()
    {
        var schedule = new ConstantSchedule(0.1);
        Assert.Equal((0.1, 0.1), (schedule.At(0), schedule.At(1000)));
    }

    // 0.1 * 0.5^floor(epoch / 10)
    [Fact]
    public void Cosine_LearningRateNearDoubleMax_StaysFinite()
    {
        // A fuzzed run description with lr 1e308 and a cosine schedule: (lr - min) * (1 + cos)
        // overflowed to infinity, and the optimizer refused it with a message naming no file.
        var schedule = new CosineSchedule(1e308, 10);

        for (int epoch = 0; epoch <= 10; epoch++)
            Assert.True(double.IsFinite(schedule.At(epoch)), $"epoch {epoch}: {schedule.At(epoch)}");
        Assert.Equal(1e308, schedule.At(0));
    }

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(9, 0.1)]
    [InlineData(10, 0.05)]
    [InlineData(25, 0.025)]
    [InlineData(30, 0.0125)]
    public void Step_MultipliesByGammaEveryStepSizeEpochs(int epoch, double expected) =>
        Assert.Equal(expected, new StepSchedule(0.1, 10, 0.5).At(epoch), 1e-15);

    // 0.001 + (0.1 - 0.001) (1 + cos(pi epoch / 10)) / 2
    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(5, 0.0505)]
    [InlineData(10, 0.001)]
    [InlineData(15, 0.001)]
    public void Cosine_AnnealsToMinimumThenStays(int epoch, double expected) =>
        Assert.Equal(expected, new CosineSchedule(0.1, 10, 0.001).At(epoch), 1e-15);

    // epoch 2 of 8 without minimum: 0.1 (1 + cos(pi / 4)) / 2 = 0.1 * 0.85355339 = 0.085355339
    [Fact]
    public void Cosine_MatchesClosedFormBetweenEnds() =>
        Assert.Equal(0.1 * (1 + (Math.Sqrt(2) / 2)) / 2, new CosineSchedule(0.1, 8).At(2), 1e-15);

    [Fact]
    public void Parse_ReadsEachSyntax()
    {
        Assert.Equal(0.3, Assert.IsType<ConstantSchedule>(LearningRateSchedule.Parse("constant", 0.3, 20)).LearningRate);

        var step = Assert.IsType<StepSchedule>(LearningRateSchedule.Parse("step:5:0.5", 0.3, 20));
        Assert.Equal((0.3, 5, 0.5), (step.InitialLearningRate, step.StepSize, step.Gamma));

        var defaultStep = Assert.IsType<StepSchedule>(LearningRateSchedule.Parse("STEP", 0.3, 20));
        Assert.Equal((10, 0.1), (defaultStep.StepSize, defaultStep.Gamma));

        var cosine = Assert.IsType<CosineSchedule>(LearningRateSchedule.Parse("cosine:0.0001", 0.3, 20));
        Assert.Equal((0.3, 20, 0.0001), (cosine.InitialLearningRate, cosine.Epochs, cosine.MinimumLearningRate));
    }

    [Theory]
    [InlineData("linear", "Unknown learning-rate schedule 'linear'. Valid schedules: constant; step")]
    [InlineData("step:x", "In learning-rate schedule 'step:x', the step size 'x' is not a whole number of epochs.")]
    [InlineData("step:10:half", "In learning-rate schedule 'step:10:half', the gamma 'half' is not a number.")]
    [InlineData("cosine:1:2", "Too many ':' parts in learning-rate schedule 'cosine:1:2'.")]
    [InlineData("step:0", "The step schedule's step size must be at least 1 epoch; got 0.")]
    public void Parse_MalformedSpecExplainsWhy(string spec, string messageStart)
    {
        var error = Assert.Throws<GradscopeException>(() => LearningRateSchedule.Parse(spec, 0.1, 10));
        Assert.StartsWith(messageStart, error.Message, StringComparison.Ordinal);
    }
}
