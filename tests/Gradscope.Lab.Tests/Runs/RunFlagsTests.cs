using Gradscope.Lab.Runs;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Runs;

// train's flags become a RunSpec once, at the command's edge; these are the conversions.
public sealed class RunFlagsTests
{
    private const string SigmoidSpec = """{"layers": [{"type": "dense", "units": 8}, {"type": "activation", "name": "sigmoid"}]}""";

    [Fact]
    public void ToSpec_FlagLayout_BuildsTheFlagsNetworkWithItsRemedies()
    {
        var spec = new RunFlags { Hidden = [5, 5], Activation = "sigmoid", Norm = "batch", Residual = true, Dropout = 0.3 }.ToSpec();

        var network = spec.NetworkFor(2, 3, flagForm: true);

        Assert.Equal(NormKind.Batch, network.Norm);
        Assert.Equal(ResidualStyle.PreActivation, network.Residual);
        Assert.Equal(0.3, network.Dropout);
        Assert.Equal("2-5-5-3 sigmoid batch-norm residual dropout 0.3", network.Describe());
        Assert.Equal("glorot-uniform", spec.Init.Name);
    }

    [Fact]
    public void ToSpec_ModelSpec_ReplacesTheFlagsAndPicksTheInitializer()
    {
        var spec = new RunFlags { ModelSpec = "{\"layers\":[{\"type\":\"dense\",\"units\":7},{\"type\":\"activation\",\"name\":\"relu\"},{\"type\":\"dense\",\"units\":7,\"module\":\"h\"}]}" }.ToSpec();

        Assert.Equal("2-dense7-relu-dense7-3", spec.NetworkFor(2, 3).Describe());
        Assert.Equal("he-normal", spec.Init.Name);
    }

    [Fact]
    public void ToSpec_ResolvesAutoInitFromTheSpecsActivation()
    {
        Assert.Equal("glorot-uniform", new RunFlags { ModelSpec = SigmoidSpec }.ToSpec().Init.ToSpec());
        Assert.Equal("he-normal", new RunFlags { Activation = "relu" }.ToSpec().Init.ToSpec());
    }

    [Fact]
    public void ToSpec_ExpandsFlagsIntoLayers()
    {
        var spec = new RunFlags { Hidden = [8, 8, 8], Activation = "tanh", Residual = true }.ToSpec();
        Assert.IsType<DenseSpec>(spec.Network.Layers[0]);
        Assert.IsType<ResidualSpec>(spec.Network.Layers[1]);
        Assert.Equal("tanh", spec.Network.FirstActivation!.Name);
    }

    [Fact]
    public void ToSpec_StatesTheDefaultLearningRate()
    {
        Assert.Equal(0.1, new RunFlags { Optimizer = "sgd" }.ToSpec().Optimizer.LearningRate);
        Assert.Equal(0.001, new RunFlags { Optimizer = "adam" }.ToSpec().Optimizer.LearningRate);
        Assert.Equal(OptimizerKind.RmsProp, new RunFlags { Optimizer = "RMSProp" }.ToSpec().Optimizer.Kind);
    }
}
