using Gradscope.Lab.Runs;
using Gradscope.Tests.Architecture;
using Xunit.Abstractions;

namespace Gradscope.Lab.Tests.Architecture;

/// <summary>
/// The Lab's public API is pinned by <c>PublicApi.Gradscope.Lab.txt</c>: a change to it fails here
/// until the snapshot is rewritten and the diff reviewed.
/// </summary>
public sealed class PublicApiTests(ITestOutputHelper output)
{
    [Fact]
    public void Lab_PublicApiMatchesSnapshot()
    {
        var assembly = typeof(RunSpec).Assembly;
        var (_, types, members) = PublicApi.Of(assembly);
        output.WriteLine($"{types} public types, {members} public or protected members");

        string difference = PublicApi.Compare(assembly, "PublicApi.Gradscope.Lab.txt");

        Assert.True(difference.Length == 0, difference);
    }
}
