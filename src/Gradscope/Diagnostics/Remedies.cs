using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Training;

namespace Gradscope.Diagnostics;

/// <summary>
/// The remedies the rules recommend, each a rewrite of a run's layer list, initialization or
/// optimizer (<see cref="RemedyRewrite"/>), so a remedy applies the same way to any network.
/// </summary>
public static class Remedies
{
    /// <summary>ReLU with He initialization.</summary>
    public static Remedy ReluHe { get; } = new(
        "relu-he",
        "Switch to ReLU with He initialization",
        "ReLU's derivative is exactly 1 for active units, so depth does not multiply small factors; He init keeps the signal's variance constant from layer to layer (He et al. 2015).",
        new RemedyRewrite.SwapActivation(Activation.Parse("relu"), new HeNormal()));

    /// <summary>GELU with He initialization.</summary>
    public static Remedy GeluHe { get; } = new(
        "gelu-he",
        "Switch to GELU with He initialization",
        "GELU does not squash positive inputs and has no flat region that kills whole units.",
        new RemedyRewrite.SwapActivation(Activation.Parse("gelu"), new HeNormal()));

    /// <summary>Leaky ReLU with He initialization.</summary>
    public static Remedy LeakyReluHe { get; } = new(
        "leaky-relu-he",
        "Switch to leaky ReLU with He initialization",
        "A leaky unit passes 1% of the gradient when inactive, so it can always recover: it cannot die.",
        new RemedyRewrite.SwapActivation(Activation.Parse("leaky-relu"), new HeNormal()));

    /// <summary>tanh with Glorot initialization, the classic fix for sigmoid.</summary>
    public static Remedy TanhGlorot { get; } = new(
        "tanh-glorot",
        "Switch from sigmoid to tanh with Glorot initialization",
        "tanh's derivative peaks at 1 instead of 0.25 and its output is zero-centred; Glorot init balances forward and backward variance (Glorot and Bengio 2010).",
        new RemedyRewrite.SwapActivation(Activation.Parse("tanh"), new GlorotUniform()));

    /// <summary>The activation's recommended initialization, default gain, zero bias.</summary>
    public static Remedy RecommendedInit { get; } = new(
        "recommended-init",
        "Use the activation's recommended initialization (He for ReLU family, LeCun for SELU, Glorot otherwise) with zero biases",
        "A weight scale matched to the activation keeps each layer's gain near 1, so signals neither shrink nor grow with depth.",
        new RemedyRewrite.RecommendedInit());

    /// <summary>Gradient clipping and a lower learning rate.</summary>
    public static Remedy ClipAndLowerLearningRate { get; } = new(
        "clip-lower-lr",
        "Clip gradients to global norm 1 and lower the learning rate 10x",
        "Clipping bounds every update, and a smaller step keeps training out of the region where gradients blow up (Pascanu et al. 2013).",
        new RemedyRewrite.ClipAndLowerLearningRate(1.0, 10));

    /// <summary>Batch normalization before every hidden activation.</summary>
    public static Remedy BatchNorm { get; } = new(
        "batch-norm",
        "Add batch normalization after every hidden dense layer",
        "Normalizing each layer's pre-activations to zero mean and unit variance keeps units out of the flat regions and the gradient's scale steady (Ioffe and Szegedy 2015).",
        new RemedyRewrite.InsertNorms(NormKind.Batch));

    /// <summary>Residual (skip) connections.</summary>
    public static Remedy Residual { get; } = new(
        "residual",
        "Add residual connections (blocks of 2 dense layers with an identity skip path)",
        "The identity path carries the gradient past every block unchanged, so depth no longer multiplies it away (He et al. 2016).",
        new RemedyRewrite.WrapResidual());

    /// <summary>Replace a plain RNN by an LSTM whose forget gate starts open (bias 1).</summary>
    public static Remedy Lstm { get; } = new(
        "lstm",
        "Replace the RNN by an LSTM (forget-gate bias 1)",
        "The LSTM's cell carries the gradient back multiplied by its forget gate instead of by W_hh phi', so it need not vanish (Hochreiter and Schmidhuber 1997; Gers et al. 2000).",
        new RemedyRewrite.SwapCell("lstm", 1.0));

    /// <summary>Replace a plain RNN by a GRU.</summary>
    public static Remedy Gru { get; } = new(
        "gru",
        "Replace the RNN by a GRU",
        "The GRU's update gate interpolates between the old and the new state, a path back in time that need not shrink (Cho et al. 2014).",
        new RemedyRewrite.SwapCell("gru", null));

    /// <summary>Start an LSTM's forget gate open.</summary>
    public static Remedy ForgetBias { get; } = new(
        "forget-bias",
        "Set the LSTM's forget-gate bias to 3",
        "With the forget gate near 1 at the start, the cell remembers and the gradient flows back through many steps (Gers et al. 2000; Jozefowicz et al. 2015).",
        new RemedyRewrite.SetForgetBias(3.0));

    /// <summary>Every remedy, for lookup by id.</summary>
    public static IReadOnlyList<Remedy> All { get; } = [ReluHe, GeluHe, LeakyReluHe, TanhGlorot, RecommendedInit, ClipAndLowerLearningRate, BatchNorm, Residual, Lstm, Gru, ForgetBias];

    /// <summary>The remedy with <paramref name="id"/>.</summary>
    public static Remedy Get(string id)
    {
        foreach (var remedy in All)
        {
            if (remedy.Id == id)
                return remedy;
        }

        throw new GradscopeException($"Unknown remedy '{id}'.");
    }
}
