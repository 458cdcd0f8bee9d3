using System.Text.Json;

namespace Gradscope.Cli.Tests;

public sealed class InspectCommandTests
{
    private static (string Model, string Csv) TrainedModel()
    {
        string dir = CliRunner.TempDir();
        string model = Path.Combine(dir, "m.safetensors");
        string csv = Path.Combine(dir, "d.csv");
        var (exit, _, error) = CliRunner.Run("train", "--layers", "3x8", "--activation", "sigmoid", "--epochs", "1", "--save", model);
        Assert.True(exit == 0, error);
        File.WriteAllText(csv, "x,y,label\n0.1,0.2,0\n-0.5,0.3,1\n0.9,-0.8,2\n0.0,0.0,1\n");
        return (model, csv);
    }

    [Fact]
    public void Json_HasLossAndOneEntryPerDenseLayer()
    {
        var (model, csv) = TrainedModel();
        var (exit, output, error) = CliRunner.Run("inspect", "--model", model, "--data", csv, "--json");
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("loss").GetDouble() > 0);
        var layers = root.GetProperty("layers");
        Assert.Equal(4, layers.GetArrayLength());
        Assert.Equal(["0", "2", "4", "6"], layers.EnumerateArray().Select(l => l.GetProperty("name").GetString()));
        foreach (string field in new[] { "grad_norm", "bias_grad_norm", "delta_rms", "act_mean", "act_std", "saturated" })
            Assert.Equal(JsonValueKind.Number, layers[0].GetProperty(field).ValueKind);
    }

    [Fact]
    public void Table_ListsLayers()
    {
        var (model, csv) = TrainedModel();
        var (exit, output, _) = CliRunner.Run("inspect", "--model", model, "--data", csv);
        Assert.Equal(0, exit);
        Assert.Contains("grad_norm", output);
        Assert.Contains("loss (mean softmax cross-entropy)", output);
    }

    [Fact]
    public void WrongFeatureCount_ExitsOneWithShapes()
    {
        var (model, _) = TrainedModel();
        string csv = Path.Combine(CliRunner.TempDir(), "wide.csv");
        File.WriteAllText(csv, "a,b,c,label\n1,2,3,0\n");
        var (exit, _, error) = CliRunner.Run("inspect", "--model", model, "--data", csv);
        Assert.Equal(1, exit);
        Assert.Contains("the data has 3 features but the model expects 2 inputs", error);
    }

    [Fact]
    public void CorruptModel_ExitsOne()
    {
        string dir = CliRunner.TempDir();
        string model = Path.Combine(dir, "bad.safetensors");
        File.WriteAllBytes(model, [1, 2, 3]);
        string csv = Path.Combine(dir, "d.csv");
        File.WriteAllText(csv, "a,b,label\n1,2,0\n");
        var (exit, _, error) = CliRunner.Run("inspect", "--model", model, "--data", csv, "--activation", "relu");
        Assert.Equal(1, exit);
        Assert.Contains("bad.safetensors", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void MissingRequiredOption_ExitsTwo()
    {
        var (exit, _, error) = CliRunner.Run("inspect", "--data", "x.csv");
        Assert.Equal(2, exit);
        Assert.Contains("--model", error);
    }
}
