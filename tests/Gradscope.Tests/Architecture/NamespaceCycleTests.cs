using Xunit.Abstractions;

namespace Gradscope.Tests.Architecture;

/// <summary>
/// The engine's namespaces should not import each other in circles. Read from the assembly's
/// metadata (signatures and method bodies), so a use inside a method counts. The cycles that exist
/// today are listed; the list may only shrink: a new cycle fails, and so does a listed one that is gone
/// (remove it from the list).
/// </summary>
public sealed class NamespaceCycleTests(ITestOutputHelper output)
{
    // Known cycles (strongly connected components), each its namespaces sorted and joined by " <-> ".
    private static readonly string[] Known =
    [
        "Gradscope.Activations <-> Gradscope.Layers",
        "Gradscope.Data <-> Gradscope.Data.Arrays <-> Gradscope.Data.Sequences <-> Gradscope.Diagnostics <-> Gradscope.Diagnostics.Rules <-> " +
            "Gradscope.Memory <-> Gradscope.Recurrent <-> Gradscope.Serialization <-> Gradscope.Theory <-> Gradscope.Training",
    ];

    [Fact]
    public void Engine_HasNoNewNamespaceCycle()
    {
        var graph = NamespaceGraph.Of(typeof(GradscopeException).Assembly.Location);
        var cycles = graph.Cycles().Select(c => string.Join(" <-> ", c)).Order(StringComparer.Ordinal).ToList();
        foreach (string cycle in cycles)
            output.WriteLine(cycle);

        Assert.Empty(cycles.Except(Known));
        Assert.Empty(Known.Except(cycles));
    }

    [Fact]
    public void Graph_SeesUsesInsideMethodBodies()
    {
        var graph = NamespaceGraph.Of(typeof(GradscopeException).Assembly.Location);

        // Trainer<T> creates and calls layers only inside its methods.
        Assert.Contains("Gradscope.Layers", graph.Edges["Gradscope.Training"]);
        Assert.Contains("Gradscope.Tensors", graph.Edges["Gradscope.Layers"]);
        Assert.True(graph.Edges.Count > 10, $"{graph.Edges.Count} namespaces");
    }
}
