using Gradscope.Activations;
using Gradscope.Cli.Commands;

namespace Gradscope.Cli.Tests.Output;

public sealed class FlatRegionTests
{
    [Theory]
    [InlineData("relu", 0.55, "55.0% inactive")]
    [InlineData("leaky-relu", 0.10, "10.0% inactive")]
    [InlineData("sigmoid", 0.0, "0.0% saturated")]
    [InlineData("tanh", 0.25, "25.0% saturated")]
    public void FlatRegion_SpeaksTheActivationsWords(string activation, double fraction, string expected) =>
        Assert.Equal(expected, LayerReport.FlatRegion(fraction, Activation.Parse(activation)));

    [Fact]
    public void FlatRegion_OfTheOutputLayer_IsJustTheShare() => Assert.Equal("12.5%", LayerReport.FlatRegion(0.125, null));

    [Fact]
    public void Inspect_OnAReluModel_SaysInactive()
    {
        string dir = CliRunner.TempDir();
        string model = Path.Combine(dir, "relu.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--layers", "3x8", "--activation", "relu", "--epochs", "1", "--save", model, "--json").Exit);

        var (exit, output, error) = CliRunner.Run("inspect", "--model", model, "--data", "spiral");

        Assert.True(exit == 0, error);
        Assert.Contains("flat region", output, StringComparison.Ordinal);
        Assert.Contains("inactive", output, StringComparison.Ordinal);
        Assert.DoesNotContain("saturated", output, StringComparison.Ordinal);
    }
}
