using System.Globalization;
using System.Text.Json;
using Gradscope.Serialization.Safetensors;

namespace Gradscope.Cli.Tests.Commands;

/// <summary><c>inspect</c> and <c>diagnose</c> put a data file's labels in the model's class order, or refuse, naming the label.</summary>
public sealed class ModelLabelsTests
{
    private readonly string _dir = CliRunner.TempDir();

    /// <summary>
    /// A 2-input, 9-output network with no hidden layer, zero weights and biases 0..8: every row's
    /// logits are 0..8, so the loss of label k is logsumexp(0..8) - k, whatever the features.
    /// </summary>
    private string NineClassModel()
    {
        string path = Path.Combine(_dir, "nine.safetensors");
        var bias = new double[9];
        for (int k = 0; k < 9; k++)
            bias[k] = k;
        SafetensorsFile.Write(
            path,
            [new SafetensorsTensor("0.weight", "F32", [9, 2], new double[18]), new SafetensorsTensor("0.bias", "F32", [9], bias)],
            new Dictionary<string, string> { ["format"] = "pt", ["gradscope.architecture"] = """{"type":"dense","input":2,"hidden":[],"output":9,"activation":"relu"}""" });
        return path;
    }

    /// <summary>A CSV file whose row i has features (i mod 3 - 1, i mod 2 + 0.5) and label <paramref name="labels"/>[i - <paramref name="first"/>].</summary>
    private string Csv(string name, string[] labels, int first = 0)
    {
        string path = Path.Combine(_dir, name);
        var text = new System.Text.StringBuilder("a,b,label\n");
        for (int i = first; i < first + labels.Length; i++)
            text.Append(CultureInfo.InvariantCulture, $"{(i % 3) - 1},{(i % 2) + 0.5},{labels[i - first]}\n");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static double InspectLoss(string model, string csv)
    {
        var (exit, output, error) = CliRunner.Run("inspect", "--model", model, "--data", csv, "--json");
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.GetProperty("loss").GetDouble();
    }

    [Fact]
    public void Inspect_ModelWithoutClassNames_TakesIntegerLabelsAsClassIndices()
    {
        double logSumExp = Math.Log(Enumerable.Range(0, 9).Sum(k => Math.Exp(k)));
        double loss = InspectLoss(NineClassModel(), Csv("sparse.csv", ["0", "2", "3", "5"]));
        Assert.Equal(logSumExp - 2.5, loss, 5); // renumbered to 0, 1, 2, 3 it was logsumexp - 1.5
    }

    [Fact]
    public void InspectAndDiagnose_LabelPastTheModelsOutputs_ExitOneNamingIt()
    {
        string model = NineClassModel();
        string csv = Csv("beyond.csv", ["0", "9", "1"]);
        foreach (string[] args in new[] { new[] { "inspect" }, ["diagnose", "--steps", "1"] })
        {
            var (exit, _, error) = CliRunner.Run([.. args, "--model", model, "--data", csv]);
            Assert.Equal(1, exit);
            Assert.StartsWith($"error: {csv}: label 9 is not a class of {model}: it has 9 outputs", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TrainedOnNamedClasses_SavesThem_AndInspectMapsDataThroughThem()
    {
        string model = Path.Combine(_dir, "animals.safetensors");
        string training = Csv("animals.csv", ["cat", "dog", "bird", "dog", "cat", "bird", "bird", "cat", "dog"]);
        var (exit, _, error) = CliRunner.Run("train", "--data", training, "--layers", "4", "--epochs", "2", "--save", model);
        Assert.True(exit == 0, error);
        Assert.Equal("""["bird","cat","dog"]""", SafetensorsFile.Read(model).Metadata["gradscope.classes"]);

        // The mean loss over rows equals the mean of one-row files' losses only if each one-row
        // file's label lands on the same class as in the whole file, not on class 0.
        string[] rows = ["dog", "cat", "bird"];
        double whole = InspectLoss(model, Csv("three.csv", rows));
        double sum = 0;
        for (int i = 0; i < rows.Length; i++)
            sum += InspectLoss(model, Csv($"row{i}.csv", [rows[i]], first: i));
        Assert.Equal(whole, sum / rows.Length, 5);
    }

    [Fact]
    public void Inspect_LabelTheModelWasNotTrainedOn_ExitsOneNamingIt()
    {
        string model = Path.Combine(_dir, "animals.safetensors");
        var (exit, _, error) = CliRunner.Run("train", "--data", Csv("animals.csv", ["cat", "dog", "bird", "dog"]), "--layers", "4", "--epochs", "1", "--save", model);
        Assert.True(exit == 0, error);
        string csv = Csv("fish.csv", ["dog", "fish"]);
        (exit, _, error) = CliRunner.Run("inspect", "--model", model, "--data", csv);
        Assert.Equal(1, exit);
        Assert.Equal($"error: {csv}: label 'fish' is not a class of {model}, which was trained on the classes 'bird', 'cat', 'dog'.", error.Trim());
    }

    [Fact]
    public void Inspect_OneClassBatch_IsStillAllowed()
    {
        double logSumExp = Math.Log(Enumerable.Range(0, 9).Sum(k => Math.Exp(k)));
        Assert.Equal(logSumExp - 7, InspectLoss(NineClassModel(), Csv("sevens.csv", ["7", "7", "7"])), 5);
    }
}
