using System.Text.Json;
using Gradscope.Cli.Commands.Runs;

namespace Gradscope.Cli.Tests.Runs;

public sealed class NetworkTextTests
{
    private static string Describe(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return NetworkText.Describe(doc.RootElement);
    }

    [Fact]
    public void RepeatedLayers_AreCountedOnce()
    {
        string layers = string.Join(",", Enumerable.Repeat("""{"type":"dense","units":32},{"type":"activation","name":"sigmoid"}""", 8));
        Assert.Equal("8 x (dense 32, sigmoid), head 3", Describe($$"""{"layers":[{{layers}}],"output":3}"""));
    }

    [Fact]
    public void MixedLayers_ResidualAndRecurrent_ReadInOrder()
    {
        string json = """
            {"layers":[{"type":"lstm","module":"rnn","hidden":16},{"type":"dense","units":8},{"type":"batch-norm"},{"type":"activation","name":"relu"},
            {"type":"residual","layers":[{"type":"dense","units":8},{"type":"activation","name":"relu"},{"type":"dense","units":8},{"type":"activation","name":"relu"}]}],
            "output":{"units":5,"module":"head"}}
            """;
        Assert.Equal("lstm 16, dense 8, batch-norm, relu, residual[2 x (dense 8, relu)], head 5", Describe(json));
    }

    [Fact]
    public void NoLayerList_ShowsTheValue()
    {
        Assert.Equal("{\"x\":1}", Describe("""{"x":1}"""));
    }
}
