using Gradscope.Layers;
using Gradscope.Optimizers;
using Gradscope.Tensors;

namespace Gradscope.Tests.Optimizers;

/// <summary>
/// A large SGD update runs over every core, each part taking a slice of every parameter. It must
/// leave exactly what the serial update leaves, for every rule and with weight decay, over steps.
/// </summary>
public sealed class ParallelSgdTests
{
    [Theory]
    [InlineData(0.0, false, 0.0)]
    [InlineData(0.9, false, 0.0)]
    [InlineData(0.9, true, 0.01)]
    [InlineData(0.0, false, 0.01)]
    public void ParallelUpdate_EqualsSerialUpdate(double momentum, bool nesterov, double weightDecay)
    {
        var parallel = Parameters();
        var serial = Parameters();
        var parallelSgd = new Sgd<float>(0.05, momentum, nesterov, weightDecay);
        var serialSgd = new Sgd<float>(0.05, momentum, nesterov, weightDecay);
        for (int step = 0; step < 3; step++)
        {
            FillGradients(parallel, step);
            FillGradients(serial, step);
            parallelSgd.Step(parallel);
            GemmWorkers.SerialOnly = true;
            try
            {
                serialSgd.Step(serial);
            }
            finally
            {
                GemmWorkers.SerialOnly = false;
            }
        }

        for (int i = 0; i < parallel.Length; i++)
            Assert.True(serial[i].Value.Span.SequenceEqual(parallel[i].Value.Span), $"parameter {parallel[i].Name} differs");
    }

    // 700 x 513 weights (above the parallel size, not a multiple of the slice boundaries) and a bias.
    private static Parameter<float>[] Parameters()
    {
        var weight = new Parameter<float>("weight", 700, 513);
        var bias = new Parameter<float>("bias", 1, 700);
        var rng = new SeededRandom(5);
        foreach (var p in new[] { weight, bias })
        {
            var span = p.Value.Span;
            for (int i = 0; i < span.Length; i++)
                span[i] = (float)rng.NextGaussian();
        }

        return [weight, bias];
    }

    private static void FillGradients(Parameter<float>[] parameters, int step)
    {
        var rng = new SeededRandom(100 + step);
        foreach (var p in parameters)
        {
            var span = p.Grad.Span;
            for (int i = 0; i < span.Length; i++)
                span[i] = (float)rng.NextGaussian();
        }
    }
}
