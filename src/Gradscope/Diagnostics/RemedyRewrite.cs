using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Training;

namespace Gradscope.Diagnostics;

/// <summary>
/// What a <see cref="Remedy"/> changes in a run, as data: a small closed set of rewrites of the
/// layer list, the initialization or the optimizer. The same rewrite applies to any network,
/// built from flags, a model spec or a model file, since each is a layer list by then.
/// </summary>
public abstract record RemedyRewrite
{
    private protected RemedyRewrite()
    {
    }

    /// <summary>
    /// Every hidden activation replaced by <paramref name="Activation"/>, and every hidden dense layer
    /// re-initialized with <paramref name="Init"/> (its own <c>init</c>), so a run that continues
    /// earlier weights draws those layers afresh too.
    /// </summary>
    public sealed record SwapActivation(Activation Activation, Initializer Init) : RemedyRewrite;

    /// <summary>A normalization layer of <paramref name="Kind"/> after every hidden dense layer.</summary>
    public sealed record InsertNorms(NormKind Kind) : RemedyRewrite;

    /// <summary>The hidden dense layers regrouped into pre-activation residual blocks of two.</summary>
    public sealed record WrapResidual : RemedyRewrite;

    /// <summary>Every hidden dense layer re-initialized with the recommended initializer of the network's main activation.</summary>
    public sealed record RecommendedInit : RemedyRewrite;

    /// <summary>Global-norm clipping at <paramref name="ClipNorm"/> and the learning rate divided by <paramref name="Divisor"/>.</summary>
    public sealed record ClipAndLowerLearningRate(double ClipNorm, double Divisor) : RemedyRewrite;

    /// <summary>Each plain recurrent layer replaced by a <paramref name="Cell"/> (<c>lstm</c>, <c>gru</c>), an LSTM's forget-gate bias set to <paramref name="ForgetBias"/> when given.</summary>
    public sealed record SwapCell(string Cell, double? ForgetBias) : RemedyRewrite;

    /// <summary>Every LSTM's forget-gate bias set to <paramref name="Bias"/>.</summary>
    public sealed record SetForgetBias(double Bias) : RemedyRewrite;

    /// <summary>No rewrite: a remedy known only by its id and title, such as one read back from a stored finding that this build does not know.</summary>
    public sealed record None : RemedyRewrite;
}
