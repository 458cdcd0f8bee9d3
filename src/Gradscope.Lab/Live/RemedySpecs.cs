using Gradscope.Diagnostics;
using Gradscope.Lab.Fixes;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Live;

/// <summary>
/// A remedy applied to a run description: its rewrite of the run (activation
/// swap, initializer, norms, residual blocks, clipping, recurrent cell), carried back into the
/// description, whose other settings (data, budget, seed) stay exactly as they were.
/// </summary>
internal static class RemedySpecs
{
    /// <summary>
    /// <paramref name="spec"/> with remedy <paramref name="remedyId"/> applied to its layers,
    /// initializer, optimizer and clipping.
    /// </summary>
    /// <exception cref="GradscopeException">The remedy is unknown, or it would leave the description unchanged.</exception>
    public static RunSpec Apply(RunSpec spec, string remedyId)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var remedy = Remedies.Get(remedyId);
        var rewritten = RemedyRewriter.Apply(spec, remedy);
        var result = spec with
        {
            Network = rewritten.Network,
            Init = rewritten.Init,
            Optimizer = rewritten.Optimizer,
            ClipNorm = rewritten.ClipNorm,
            ClipValue = rewritten.ClipValue,
        };
        if (RunSpecJson.Write(result) == RunSpecJson.Write(spec))
            throw new GradscopeException($"The remedy '{remedy.Id}' ({remedy.Title}) would leave this run unchanged: it already has what the remedy gives, or has nothing it rewrites.");
        return result;
    }
}
