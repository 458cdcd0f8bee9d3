using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Tests;

/// <summary>
/// <see cref="RunFlags"/> that become a <see cref="RunSpec"/> wherever one is expected, as the CLI's
/// flags do at its edge, so tests describe many small runs tersely.
/// </summary>
public sealed record TestFlags : RunFlags
{
    public static implicit operator RunSpec(TestFlags flags) => flags.ToSpec();
}
