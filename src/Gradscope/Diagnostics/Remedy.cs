using Gradscope.Training;

namespace Gradscope.Diagnostics;

/// <summary>
/// A fix the diagnosis can recommend and prove: a rewrite of the run configuration's network,
/// initialization or optimizer, so remedies compose and the same data and seed can be re-run with it.
/// </summary>
/// <param name="Id">Stable identifier (<c>relu-he</c>, <c>batch-norm</c>).</param>
/// <param name="Title">What to do, in a few words.</param>
/// <param name="Why">Why it helps, in a sentence.</param>
/// <param name="Apply">The rewrite.</param>
public sealed record Remedy(string Id, string Title, string Why, Func<RunConfig, RunConfig> Apply)
{
    /// <summary>
    /// True when applying the remedy to <paramref name="config"/> changes the run: its layers, its
    /// initializer, its learning rate or its clipping.
    /// </summary>
    public bool Changes(RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var after = Apply(config);
        return !LayerRewrites.SameLayout(config.HiddenLayout(), after.HiddenLayout())
            || config.ParsedInitializer != after.ParsedInitializer
            || config.LearningRate != after.LearningRate
            || config.ClipNorm != after.ClipNorm;
    }

    /// <summary>The title.</summary>
    public override string ToString() => Title;
}
