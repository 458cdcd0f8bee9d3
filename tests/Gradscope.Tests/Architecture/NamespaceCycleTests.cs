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
    // None is left: the engine's namespaces form a DAG (the sequence containers live in
    // Data.Sequences below Recurrent, and DatasetCatalog in Data.Catalog above every format reader).
    private static readonly string[] Known = [];

    [Fact]
    public void Engine_HasNoNewNamespaceCycle()
    {
        var graph = NamespaceGraph.Of(typeof(GradscopeException).Assembly.Location);
        var cycles = graph.Cycles().Select(c => string.Join(" <-> ", c)).Order(StringComparer.Ordinal).ToList();
        foreach (string cycle in cycles)
            output.WriteLine(cycle);
        foreach (var component in graph.Cycles())
            output.WriteLine(DescribeEdges(graph, component));

        string edges = string.Join(Environment.NewLine, graph.Cycles().Select(c => DescribeEdges(graph, c)));
        Assert.True(!cycles.Except(Known).Any(), $"New namespace cycle(s): {string.Join("; ", cycles.Except(Known))}{Environment.NewLine}{edges}");
        Assert.True(!Known.Except(cycles).Any(), $"Listed cycle(s) gone; remove them from Known: {string.Join("; ", Known.Except(cycles))}");
    }

    // Every edge inside a cycle with the types that make it, so a failure says what to move.
    private static string DescribeEdges(NamespaceGraph graph, List<string> component)
    {
        var lines = new List<string>();
        foreach (string from in component)
        {
            foreach (string to in component.Where(to => graph.Edges[from].Contains(to)))
                lines.Add($"  {from} -> {to}: {string.Join(", ", graph.Users(from, to))}");
        }

        return string.Join(Environment.NewLine, lines);
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
