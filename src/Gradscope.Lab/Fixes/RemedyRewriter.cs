using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Lab.Runs;
using Gradscope.Training;

namespace Gradscope.Lab.Fixes;

/// <summary>
/// Applies a <see cref="Remedy"/>'s rewrite to a <see cref="RunSpec"/>: its layer list, its
/// initializer, its learning rate or its clipping. A layer list the flags build is rewritten as
/// the flags would be (<c>--norm batch</c>, <c>--residual</c>), any other layer list layer by layer,
/// so a remedy applies the same way to flag-built, spec-built and loaded networks.
/// </summary>
public static class RemedyRewriter
{
    /// <summary><paramref name="spec"/> with <paramref name="remedy"/> applied.</summary>
    /// <exception cref="GradscopeException">The rewrite does not fit the network.</exception>
    public static RunSpec Apply(RunSpec spec, Remedy remedy)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(remedy);
        var layers = spec.Network.Layers;
        var flags = FlagLayouts.Match(layers);
        return remedy.Rewrite switch
        {
            RemedyRewrite.SwapActivation swap => WithInit(spec.WithLayers(LayerRewrites.SwapActivations(layers, swap.Activation)), swap.Init, flags is null),
            RemedyRewrite.InsertNorms insert => spec.WithLayers(flags is { Norm: NormKind.None }
                ? (flags with { Norm = insert.Kind }).Layers()
                : LayerRewrites.InsertNorms(layers, insert.Kind)),
            RemedyRewrite.WrapResidual => spec.WithLayers(flags is { Residual: ResidualStyle.None }
                ? (flags with { Residual = ResidualStyle.PreActivation }).Layers()
                : LayerRewrites.WrapInResidualBlocks(layers)),
            RemedyRewrite.RecommendedInit => WithInit(spec, NetworkFacts.RecommendedInitializer(MainActivation(layers)), flags is null),
            RemedyRewrite.ClipAndLowerLearningRate clip => spec with
            {
                ClipNorm = clip.ClipNorm,
                Optimizer = spec.Optimizer with { LearningRate = spec.Optimizer.LearningRate / clip.Divisor },
            },
            RemedyRewrite.SwapCell cell => spec.WithLayers(RecurrentRewrites.SwapCell(layers, cell.Cell, cell.ForgetBias)),
            RemedyRewrite.SetForgetBias bias => spec.WithLayers(RecurrentRewrites.SetForgetBias(layers, bias.Bias)),
            RemedyRewrite.None => spec,
            _ => throw new ArgumentOutOfRangeException(nameof(remedy), remedy.Rewrite, "Unknown rewrite."),
        };
    }

    /// <summary>
    /// True when applying <paramref name="remedy"/> to <paramref name="spec"/> changes the run: its
    /// layers, its initializer, its learning rate or its clipping.
    /// </summary>
    public static bool Changes(RunSpec spec, Remedy remedy)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var after = Apply(spec, remedy);
        return !LayerRewrites.SameLayout(spec.Network.Layers, after.Network.Layers)
            || spec.Init != after.Init
            || spec.Optimizer.LearningRate != after.Optimizer.LearningRate
            || spec.ClipNorm != after.ClipNorm;
    }

    // A layer list names the dense layers it re-initializes (their own "init"), so a run that
    // continues earlier weights knows which to draw afresh; the flags' network is drawn afresh whole.
    private static RunSpec WithInit(RunSpec spec, Initializer initializer, bool perLayer) => perLayer
        ? spec.WithLayers(LayerRewrites.InitializeDense(spec.Network.Layers, initializer)) with { Init = initializer }
        : spec with { Init = initializer };

    private static Activations.Activation MainActivation(IReadOnlyList<LayerSpec> layers) =>
        NetworkFacts.For(NetworkSpec.FromLayers(1, layers, 1), null).MainActivation;
}
