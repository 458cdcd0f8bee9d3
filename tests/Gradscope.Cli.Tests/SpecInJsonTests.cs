using System.Text.Json;
using Gradscope.Lab.Runs;
using Gradscope.Training;

namespace Gradscope.Cli.Tests;

// Every --json result carries "spec": the run description of what it ran, which RunSpecJson reads back.
public sealed class SpecInJsonTests
{
    private static string TrainedModel(string data = "spiral")
    {
        string model = Path.Combine(CliRunner.TempDir(), "m.safetensors");
        var (exit, _, error) = CliRunner.Run("train", "--data", data, "--layers", "3x8", "--activation", "sigmoid", "--init", "standard", "--epochs", "1", "--save", model);
        Assert.True(exit == 0, error);
        return model;
    }

    private static int DenseCount(RunSpec spec) => spec.Network.Layers.Count(l => l is DenseSpec);

    [Fact]
    public void Inspect_Json_SpecIsTheLoadedModelOnTheData()
    {
        string model = TrainedModel();
        var (exit, output, error) = CliRunner.Run("inspect", "--model", model, "--data", "spiral", "--json");

        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        var spec = RunSpecJson.Read(doc.RootElement.GetProperty("spec"), "inspect");
        Assert.Equal(model, spec.Weights);
        Assert.Equal("from-file", doc.RootElement.GetProperty("spec").GetProperty("init").GetString());
        Assert.Equal("spiral", spec.Data.Source);
        Assert.Equal(3, DenseCount(spec));
        Assert.All(spec.Network.Layers.OfType<ActivationSpec>(), a => Assert.Equal("sigmoid", a.Activation.Name));
        Assert.Equal(["0", "2", "4"], spec.Network.Layers.OfType<DenseSpec>().Select(d => d.Module));
        Assert.All(spec.Network.Layers.OfType<DenseSpec>(), d => Assert.Null(d.Init));
    }

    [Fact]
    public void Diagnose_Json_SpecSaysTheWeightsAreTheFiles()
    {
        string model = TrainedModel();
        var (_, output, error) = CliRunner.Run("diagnose", "--model", model, "--data", "spiral", "--steps", "5", "--seed", "4", "--json");

        using var doc = JsonDocument.Parse(output);
        var spec = RunSpecJson.Read(doc.RootElement.GetProperty("spec"), "diagnose");
        Assert.True(spec.Weights == model, error);
        Assert.Equal("from-file", doc.RootElement.GetProperty("spec").GetProperty("init").GetString());
        Assert.Equal(5, spec.Budget.MaxSteps);
        Assert.Equal(4, spec.Seed);
        Assert.Equal(3, DenseCount(spec));
    }

    [Fact]
    public void Demo_Json_EachRunHasItsSpec()
    {
        var (exit, output, error) = CliRunner.Run("demo", "--layers", "3x8", "--epochs", "1", "--seed", "2", "--json");

        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        var runs = doc.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["sigmoid + standard init", "tanh + Glorot init", "ReLU + He init"], runs.Select(r => r.GetProperty("label").GetString()));
        string[] activations = ["sigmoid", "tanh", "relu"];
        string[] inits = ["standard", "glorot-uniform", "he-normal"];
        for (int i = 0; i < runs.Count; i++)
        {
            var spec = RunSpecJson.Read(runs[i].GetProperty("spec"), "demo");
            Assert.Equal(inits[i], spec.Init.ToSpec());
            Assert.Null(spec.Weights);
            Assert.Equal(2, spec.Seed);
            Assert.Equal(1, spec.Budget.Epochs);
            Assert.Equal(3, DenseCount(spec));
            Assert.All(spec.Network.Layers.OfType<ActivationSpec>(), a => Assert.Equal(activations[i], a.Activation.Name));
            Assert.Equal("completed", runs[i].GetProperty("status").GetString());
            Assert.True(runs[i].GetProperty("loss").GetDouble() > 0);
        }
    }
}
