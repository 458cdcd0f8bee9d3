using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Layers;
using Gradscope.Tensors;
using Gradscope.Tests.TestSupport;
using Gradscope.Training;

namespace Gradscope.Tests.Layers;

public sealed class RemedyLayerAllocationTests
{
    [Fact]
    public void ResidualNormDropoutNetwork_SteadyStateStep_AllocatesNothing()
    {
        var spec = new NetworkSpec(3, [8, 8, 8, 6], 2, Activation.Parse("tanh")) { Norm = NormKind.Batch, Residual = ResidualStyle.PreActivation, Dropout = 0.2 };
        var network = spec.Build<double>(Initializer.Parse("he-normal"), new SeededRandom(1));
        var extra = new Sequential<double>([new LayerNorm<double>(2), new Dropout<double>(2, 0.5)]);
        var x = GradientCheck.RandomInput(16, 3, seed: 2);
        var grad = new Matrix<double>(16, 2);
        grad.Span.Fill(0.1);
        for (int i = 0; i < 3; i++)
            Step(network, extra, x, grad);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Step(network, extra, x, grad);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Step(Sequential<double> network, Sequential<double> extra, Matrix<double> x, Matrix<double> grad)
    {
        network.ZeroGrad();
        extra.Forward(network.Forward(x, training: true), training: true);
        network.Backward(extra.Backward(grad));
        network.Forward(x, training: false);
    }
}
