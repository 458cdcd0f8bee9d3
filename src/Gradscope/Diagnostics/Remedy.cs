namespace Gradscope.Diagnostics;

/// <summary>
/// A fix the diagnosis can recommend and prove: what to do and why, and the rewrite of the run's
/// network, initialization or optimizer it stands for, as data (<see cref="RemedyRewrite"/>), so a
/// run description can apply it (Gradscope.Lab's rewriter does) and the same data and seed can be
/// re-run with it.
/// </summary>
/// <param name="Id">Stable identifier (<c>relu-he</c>, <c>batch-norm</c>).</param>
/// <param name="Title">What to do, in a few words.</param>
/// <param name="Why">Why it helps, in a sentence.</param>
/// <param name="Rewrite">The rewrite it stands for.</param>
public sealed record Remedy(string Id, string Title, string Why, RemedyRewrite Rewrite)
{
    /// <summary>The title.</summary>
    public override string ToString() => Title;
}
