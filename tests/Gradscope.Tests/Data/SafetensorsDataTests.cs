using Gradscope.Data.Arrays;
using Gradscope.Data.Sequences;
using Gradscope.Serialization.Safetensors;
using Gradscope.Tests.Serialization;

namespace Gradscope.Tests.Data;

public sealed class SafetensorsDataTests
{
    [Fact]
    public void ReadDataset_F32FeaturesAndI64Labels_GiveTheTable()
    {
        using var files = new TestFiles();
        string path = Write(files, "t.safetensors", new SafetensorsTensor("x", "F32", [3, 2], [1, 2, 3, 4, 5, 6]), new SafetensorsTensor("y", "I64", [3], [2, 0, 2]));

        var data = ArrayDataFile.ReadDataset(path);

        Assert.Equal("t", data.Name);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], data.Features);
        Assert.Equal([2, 0, 2], data.Labels);
        Assert.Equal((2, 3), (data.FeatureCount, data.ClassCount));
    }

    [Fact]
    public void ReadSequences_F64FeaturesWithOneLabelEach_IsManyToOne()
    {
        using var files = new TestFiles();
        string path = Write(files, "s.safetensors", new SafetensorsTensor("x", "F64", [2, 3, 1], [1, 2, 3, 4, 5, 6]), new SafetensorsTensor("y", "I64", [2], [1, 0]));

        var data = ArrayDataFile.ReadSequences(path);

        Assert.Equal((2, 3, 1, 2), (data.Count, data.Length, data.FeatureCount, data.ClassCount));
        Assert.Equal(SequenceOutput.ManyToOne, data.Output);
        Assert.Equal([1, 0], data.Labels);
    }

    [Theory]
    [InlineData("U8", new byte[] { 1, 0 })]
    [InlineData("I8", new byte[] { 1, 0 })]
    [InlineData("U16", new byte[] { 1, 0, 0, 0 })]
    [InlineData("I16", new byte[] { 1, 0, 0, 0 })]
    [InlineData("U32", new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData("I32", new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData("U64", new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void ReadDataset_SmallIntegerLabels_AreRead(string dtype, byte[] labels)
    {
        int xBytes = 8;
        string header = $"{{\"x\":{{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,{xBytes}]}}," +
            $"\"y\":{{\"dtype\":\"{dtype}\",\"shape\":[2],\"data_offsets\":[{xBytes},{xBytes + labels.Length}]}}}}";
        using var files = new TestFiles();
        string path = files.Write("t.safetensors", SafetensorsTestFiles.Build(header, [.. NpzTestWriter.Float32(0.5f, -0.5f), .. labels]));

        Assert.Equal([1, 0], ArrayDataFile.ReadDataset(path).Labels);
    }

    [Fact]
    public void ModelFileGivenAsData_SaysWhatADataFileHolds()
    {
        using var files = new TestFiles();
        string path = Write(files, "model.safetensors", new SafetensorsTensor("0.weight", "F32", [1, 1], [1]), new SafetensorsTensor("0.bias", "F32", [1], [0]));

        var error = Assert.Throws<GradscopeException>(() => ArrayDataFile.ReadDataset(path));

        Assert.Equal(
            $"{path} has no tensor 'x'; it has '0.weight', '0.bias'. A data file holds the features as 'x' and the labels as 'y' (a model file holds weights and is given with --model).",
            error.Message);
    }

    [Fact]
    public void FloatLabels_AskForIntegers()
    {
        using var files = new TestFiles();
        string path = Write(files, "t.safetensors", new SafetensorsTensor("x", "F32", [2, 1], [1, 2]), new SafetensorsTensor("y", "F32", [2], [0, 1]));

        var error = Assert.Throws<GradscopeException>(() => ArrayDataFile.ReadDataset(path));

        Assert.StartsWith($"{path}: y holds F32 values; labels must be integer class indices", error.Message);
    }

    [Fact]
    public void IntegerFeatures_AskForFloats()
    {
        using var files = new TestFiles();
        string path = Write(files, "t.safetensors", new SafetensorsTensor("x", "I64", [2, 1], [1, 2]), new SafetensorsTensor("y", "I64", [2], [0, 1]));

        var error = Assert.Throws<GradscopeException>(() => ArrayDataFile.ReadDataset(path));

        Assert.StartsWith($"{path}: x holds I64 values; features must be floating point", error.Message);
    }

    [Fact]
    public void TruncatedFile_NamesIt()
    {
        using var files = new TestFiles();
        string path = Write(files, "t.safetensors", new SafetensorsTensor("x", "F32", [2, 1], [1, 2]), new SafetensorsTensor("y", "I64", [2], [0, 1]));
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..^4]);

        var error = Assert.Throws<GradscopeException>(() => ArrayDataFile.ReadDataset(path));

        Assert.StartsWith($"{path}: ", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    private static string Write(TestFiles files, string name, params SafetensorsTensor[] tensors)
    {
        string path = Path.Combine(files.Directory, name);
        SafetensorsFile.Write(path, tensors, null);
        return path;
    }
}
