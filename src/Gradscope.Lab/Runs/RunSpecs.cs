using Gradscope.Activations;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Lab.Runs;

/// <summary>Builds <see cref="RunSpec"/>s and reads what the engine needs out of them.</summary>
public static class RunSpecs
{
    /// <summary>
    /// A run on <paramref name="data"/> of a dense network of <paramref name="hidden"/> widths with
    /// <paramref name="activation"/> after each (what <c>--layers</c> and <c>--activation</c>
    /// build), initialized with <paramref name="init"/> or, when null, the activation's recommended
    /// initializer; SGD at 0.1, 30 epochs of 64 rows, seed 1, as the flags' defaults are. Change the
    /// rest with <c>with</c>.
    /// </summary>
    public static RunSpec Dense(string data, IReadOnlyList<int> hidden, Activation activation, Initializer? init = null)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(activation);
        return Dense(data, hidden, activation, init, NormKind.None, false, 0);
    }

    /// <summary>
    /// As <see cref="Dense(string, IReadOnlyList{int}, Activation, Initializer?)"/>, with a norm
    /// layer of <paramref name="norm"/> after each dense layer, pre-activation residual blocks of
    /// two dense layers when <paramref name="residual"/>, and dropout <paramref name="dropout"/>
    /// after each activation (what <c>--norm</c>, <c>--residual</c> and <c>--dropout</c> build).
    /// </summary>
    public static RunSpec Dense(string data, IReadOnlyList<int> hidden, Activation activation, Initializer? init, NormKind norm, bool residual, double dropout)
    {
        var layers = new FlagLayout(hidden, activation, norm, residual ? ResidualStyle.PreActivation : ResidualStyle.None, dropout).Layers();
        return ForNetwork(data, new ModelSpecDocument(null, layers, null), init);
    }

    /// <summary>
    /// A run on <paramref name="data"/> of <paramref name="network"/>, initialized with
    /// <paramref name="init"/> or, when null, the recommended initializer of its first activation;
    /// SGD at 0.1, 30 epochs of 64 rows, seed 1.
    /// </summary>
    public static RunSpec ForNetwork(string data, ModelSpecDocument network, Initializer? init = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new RunSpec
        {
            Data = new DataSpec { Source = data },
            Network = network,
            Init = init ?? RecommendedInit(network),
            Optimizer = new OptimizerSpec(OptimizerKind.Sgd, DefaultLearningRate(OptimizerKind.Sgd)),
        };
    }

    /// <summary>
    /// What "auto" initialization means for <paramref name="network"/>: He for the ReLU family, LeCun
    /// for SELU and Glorot (uniform) otherwise, after its first activation (the pairings of He et
    /// al. 2015, Klambauer et al. 2017 and Glorot and Bengio 2010).
    /// </summary>
    public static Initializer RecommendedInit(ModelSpecDocument network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return NetworkFacts.RecommendedInitializer(network.FirstActivation ?? Activation.Parse("identity"));
    }

    /// <summary><paramref name="spec"/> with <paramref name="layers"/> as its hidden layers, the input and output sizes kept.</summary>
    public static RunSpec WithLayers(this RunSpec spec, IReadOnlyList<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec with { Network = spec.Network with { Layers = layers } };
    }

    /// <summary>The widths of <paramref name="spec"/>'s hidden dense layers, first to last.</summary>
    public static IReadOnlyList<int> DenseWidths(this RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return NetworkSpec.FromLayers(1, spec.Network.Layers, 1, spec.Network.OutputModule).HiddenSizes;
    }

    /// <summary>The loader settings of <paramref name="spec"/>'s data, its seed the run's.</summary>
    public static DataOptions DataOptions(this RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var data = spec.Data;
        return new DataOptions
        {
            Count = data.Samples,
            SequenceLength = data.SeqLen,
            Classes = data.Classes,
            Noise = data.Noise,
            Label = data.Label,
            DataDir = data.DataDir,
            Limit = data.Samples,
            Seed = spec.Seed,
        };
    }

    /// <summary>
    /// The architecture of <paramref name="spec"/> for data of <paramref name="inputSize"/> features
    /// and <paramref name="outputSize"/> outputs; <paramref name="source"/> names the network in
    /// messages. With <paramref name="flagForm"/> (a run the layout flags described) a layer list
    /// that is exactly what the flags build is given in the flags' form, so it describes and saves
    /// itself as they do (<c>2-32-32-3 relu</c>); otherwise it is given as its layers.
    /// </summary>
    /// <exception cref="GradscopeException">The network does not fit the data.</exception>
    public static NetworkSpec NetworkFor(this RunSpec spec, int inputSize, int outputSize, string source = "model spec", bool flagForm = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var network = spec.Network;
        if (flagForm && network.Input is null && network.Output is null && network.OutputModule is null && FlagLayouts.Match(network.Layers) is { } flags)
            return flags.Network(inputSize, outputSize);
        return NetworkSpec.FromDocument(network, inputSize, outputSize, source);
    }

    /// <summary>0.1 for the SGD family (PyTorch has no default there), PyTorch's defaults otherwise (0.01 RMSProp, 0.001 Adam).</summary>
    public static double DefaultLearningRate(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd or OptimizerKind.Momentum or OptimizerKind.Nesterov => 0.1,
        OptimizerKind.RmsProp => 0.01,
        _ => 0.001,
    };
}
