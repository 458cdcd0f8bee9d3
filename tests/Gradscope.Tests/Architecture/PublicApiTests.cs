using Xunit.Abstractions;

namespace Gradscope.Tests.Architecture;

/// <summary>
/// The engine's public API is pinned by <c>PublicApi.Gradscope.txt</c>: a change to it (a type made
/// public, a member renamed) fails here until the snapshot is rewritten and the diff reviewed.
/// </summary>
public sealed class PublicApiTests(ITestOutputHelper output)
{
    [Fact]
    public void Engine_PublicApiMatchesSnapshot()
    {
        var assembly = typeof(GradscopeException).Assembly;
        var (_, types, members) = PublicApi.Of(assembly);
        output.WriteLine($"{types} public types, {members} public or protected members");

        string difference = PublicApi.Compare(assembly, "PublicApi.Gradscope.txt");

        Assert.True(difference.Length == 0, difference);
    }

    [Fact]
    public void PublicApi_ListsMembersWithSignatures()
    {
        var (lines, _, _) = PublicApi.Of(typeof(GradscopeException).Assembly);

        Assert.Contains(lines, l => l.StartsWith("class Gradscope.GradscopeException : System.Exception", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("ctor(string message)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("<Clone>$", StringComparison.Ordinal));
    }
}
