using Gradscope.Layers;
using Gradscope.Optimizers;

namespace Gradscope.Tests.Optimizers;

public class OptimizerFactoryTests
{
    public static TheoryData<string> Names => ["sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"];

    [Theory]
    [InlineData("sgd", 0.001)]
    [InlineData("momentum", 0.001)]
    [InlineData("nesterov", 0.001)]
    [InlineData("rmsprop", 0.01)]
    [InlineData("adam", 0.001)]
    [InlineData("ADAMW ", 0.001)]
    public void Create_UsesPyTorchDefaultLearningRate(string name, double learningRate)
    {
        IOptimizer<float> optimizer = Optimizer.Create<float>(name);
        Assert.Equal(name.Trim().ToLowerInvariant(), optimizer.Name);
        Assert.Equal(learningRate, optimizer.LearningRate);
    }

    [Fact]
    public void Create_PassesOptionsThrough()
    {
        var options = new OptimizerOptions { LearningRate = 0.5, Momentum = 0.8, WeightDecay = 0.2, DecayBiases = true };
        var nesterov = Assert.IsType<Sgd<double>>(Optimizer.Create<double>("nesterov", options));
        Assert.Equal((0.5, 0.8, 0.2, true, true), (nesterov.LearningRate, nesterov.Momentum, nesterov.WeightDecay, nesterov.Nesterov, nesterov.DecayBiases));

        var adam = Assert.IsType<Adam<double>>(Optimizer.Create<double>("adam", new OptimizerOptions { Beta1 = 0.5, Beta2 = 0.9, Epsilon = 1e-6 }));
        Assert.Equal((0.5, 0.9, 1e-6, 0.0, false), (adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay, adam.DecoupledWeightDecay));

        var rmsprop = Assert.IsType<RmsProp<float>>(Optimizer.Create<float>("rmsprop", new OptimizerOptions { Alpha = 0.9 }));
        Assert.Equal(0.9, rmsprop.Alpha);
    }

    [Fact]
    public void Create_AdamWDefaultsToWeightDecayOfOneHundredth()
    {
        var adamw = Assert.IsType<Adam<float>>(Optimizer.Create<float>("adamw"));
        Assert.Equal((0.01, true), (adamw.WeightDecay, adamw.DecoupledWeightDecay));
    }

    [Fact]
    public void Create_PlainSgdIgnoresMomentum()
    {
        var sgd = Assert.IsType<Sgd<float>>(Optimizer.Create<float>("sgd", new OptimizerOptions { Momentum = 0.9 }));
        Assert.Equal(0.0, sgd.Momentum);
    }

    [Fact]
    public void Create_UnknownNameListsValidNames()
    {
        var error = Assert.Throws<GradscopeException>(() => Optimizer.Create<float>("adagrad"));
        Assert.Equal("Unknown optimizer 'adagrad'. Valid optimizers: sgd, momentum, nesterov, rmsprop, adam, adamw.", error.Message);
    }

    [Fact]
    public void Create_MomentumOfZeroIsRejected()
    {
        var error = Assert.Throws<GradscopeException>(() => Optimizer.Create<float>("nesterov", new OptimizerOptions { Momentum = 0 }));
        Assert.Equal("The 'nesterov' optimizer needs a momentum above 0; got 0.", error.Message);
    }

    [Theory]
    [InlineData(-0.1, "The learning rate must be a finite number of at least 0; got -0.1.")]
    [InlineData(double.NaN, "The learning rate must be a finite number of at least 0; got NaN.")]
    public void Create_BadLearningRateIsRejected(double learningRate, string message)
    {
        var error = Assert.Throws<GradscopeException>(() => Optimizer.Create<float>("adam", new OptimizerOptions { LearningRate = learningRate }));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Create_BetaOfOneIsRejected()
    {
        var error = Assert.Throws<GradscopeException>(() => Optimizer.Create<float>("adam", new OptimizerOptions { Beta2 = 1 }));
        Assert.Equal("The Adam beta2 must be at least 0 and below 1; got 1.", error.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Step_IsDeterministic(string name)
    {
        var options = new OptimizerOptions { LearningRate = 0.05, WeightDecay = 0.01 };
        double[][] first = OptimizerRun.Values(Optimizer.Create<float>(name, options));
        double[][] second = OptimizerRun.Values(Optimizer.Create<float>(name, options));
        Assert.Equal(first, second);
    }

    // State is created on the first step; afterwards a step allocates nothing, weight decay included.
    [Theory]
    [MemberData(nameof(Names))]
    public void Step_AllocatesNothingAfterFirstStep(string name)
    {
        var options = new OptimizerOptions { LearningRate = 0.01, WeightDecay = 0.01 };
        IOptimizer<float> optimizer = Optimizer.Create<float>(name, options);
        var weight = new Parameter<float>("weight", 8, 40);
        var bias = new Parameter<float>("bias", 1, 8);
        weight.Grad.Span.Fill(0.25f);
        bias.Grad.Span.Fill(-0.5f);
        Parameter<float>[] parameters = [weight, bias];
        for (int i = 0; i < 3; i++)
            optimizer.Step(parameters);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            optimizer.Step(parameters);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
