using Gradscope.Activations;
using Gradscope.Data;
using Gradscope.Data.Catalog;
using Gradscope.Initialization;
using Gradscope.Serialization;
using Gradscope.Serialization.Safetensors;
using Gradscope.Training;

namespace Gradscope.Tests.Serialization;

public sealed class ModelFileClassesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-classes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Dataset Csv(string labels)
    {
        var text = new System.Text.StringBuilder("x,label\n");
        foreach (string label in labels.Split(','))
            text.Append("0.5,").Append(label).Append('\n');
        return CsvDataReader.Parse(text.ToString(), "d.csv", "d", null);
    }

    private static Dataset Map(Dataset data, IReadOnlyList<string>? classes, int outputs, bool fromFile = true) =>
        ModelFile.MapLabels(data, fromFile, classes, outputs, "d.csv", "m.safetensors");

    private string SaveModel(int outputs, IReadOnlyList<string>? classes, Dictionary<string, string>? extraMetadata = null)
    {
        var spec = new NetworkSpec(1, [3], outputs, Activation.Parse("tanh"));
        var network = spec.Build<float>(Initializer.Parse("glorot-uniform"), new SeededRandom(1));
        string path = Path.Combine(_dir, $"m{Guid.NewGuid():N}.safetensors");
        ModelFile.Save(path, spec, network, classes: classes);
        if (extraMetadata is null)
            return path;
        var file = SafetensorsFile.Read(path);
        var metadata = new Dictionary<string, string>(file.Metadata);
        foreach (var (key, value) in extraMetadata)
            metadata[key] = value;
        SafetensorsFile.Write(path, file.Tensors, metadata);
        return path;
    }

    [Fact]
    public void MapLabels_ModelWithoutClasses_IntegerLabelsAreClassIndices()
    {
        var data = Csv("0,2,3,5,2");
        Assert.Equal([0, 1, 2, 3, 1], data.Labels); // renumbered when read alone
        var mapped = Map(data, null, 9);
        Assert.Equal([0, 2, 3, 5, 2], mapped.Labels);
        Assert.Equal(9, mapped.ClassCount);
        Assert.Same(data.Features, mapped.Features);
    }

    [Fact]
    public void MapLabels_ModelWithoutClasses_LabelPastTheOutputs_NamesLabelAndFiles()
    {
        var e = Assert.Throws<GradscopeException>(() => Map(Csv("0,9"), null, 9));
        Assert.Equal("d.csv: label 9 is not a class of m.safetensors: it has 9 outputs and names no classes, so integer labels are class indices 0..8.", e.Message);
    }

    [Fact]
    public void MapLabels_ModelWithoutClasses_TextLabel_Throws()
    {
        var e = Assert.Throws<GradscopeException>(() => Map(Csv("cat,dog"), null, 2));
        Assert.StartsWith("d.csv: label 'cat' is not a class index, and m.safetensors names no classes (no 'gradscope.classes' metadata)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapLabels_ModelWithClasses_MapsThroughTheNames()
    {
        var mapped = Map(Csv("dog,dog,cat"), ["bird", "cat", "dog"], 3);
        Assert.Equal([2, 2, 1], mapped.Labels);
        Assert.Equal(["bird", "cat", "dog"], mapped.ClassNames);
    }

    [Fact]
    public void MapLabels_RenumberedIntegerClasses_MapBack()
    {
        // A model trained on labels 0, 2, 3, 5 has 4 outputs named "0", "2", "3", "5".
        var mapped = Map(Csv("5,3.0,5"), ["0", "2", "3", "5"], 4);
        Assert.Equal([3, 2, 3], mapped.Labels);
    }

    [Fact]
    public void MapLabels_LabelTheModelDoesNotKnow_NamesIt()
    {
        var e = Assert.Throws<GradscopeException>(() => Map(Csv("dog,fish"), ["bird", "cat", "dog"], 3));
        Assert.Equal("d.csv: label 'fish' is not a class of m.safetensors, which was trained on the classes 'bird', 'cat', 'dog'.", e.Message);
    }

    [Fact]
    public void MapLabels_BuiltInSet_KeepsIndicesAndDisplayNames()
    {
        var data = new Dataset("fm", [0.0, 1.0], [3, 1], 1, 10, null, DatasetCatalog.FashionMnistClasses);
        var mapped = Map(data, null, 10, fromFile: false);
        Assert.Equal([3, 1], mapped.Labels);
        Assert.Equal("Dress", mapped.ClassNames[3]);
        Assert.Throws<GradscopeException>(() => Map(data, null, 3, fromFile: false));
    }

    [Fact]
    public void SaveThenLoad_KeepsClassNamesAsJsonStrings()
    {
        string path = SaveModel(3, ["bird", "cat", "dog \"x\""]);
        using (var json = System.Text.Json.JsonDocument.Parse(SafetensorsFile.Read(path).Metadata[ModelFile.ClassesKey]))
            Assert.Equal(["bird", "cat", "dog \"x\""], json.RootElement.EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["bird", "cat", "dog \"x\""], ModelFile.Load<float>(path).Classes);
        Assert.Null(ModelFile.Load<float>(SaveModel(3, null)).Classes);
    }

    [Theory]
    [InlineData("[\"a\",\"b\"]", "names 2 classes, but the network has 3 outputs")]
    [InlineData("[\"a\",\"b\",\"a\"]", "names the class 'a' twice")]
    [InlineData("{\"a\":1}", "must be a JSON array of class names (strings); it is object")]
    [InlineData("[\"a\",2,\"c\"]", "holds 2; class names must be strings")]
    [InlineData("[\"a\"", "is not valid JSON")]
    public void Load_MalformedClasses_NamesFileAndKey(string json, string message)
    {
        string path = SaveModel(3, null, new() { [ModelFile.ClassesKey] = json });
        var e = Assert.Throws<GradscopeException>(() => ModelFile.Load<float>(path));
        Assert.StartsWith($"{path}: metadata 'gradscope.classes'", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message);
    }
}
