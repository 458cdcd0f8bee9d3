using System.Text.Json;
using Gradscope.Data;
using Gradscope.Serialization.Safetensors;
using Gradscope.Tests.Data;

namespace Gradscope.Cli.Tests;

public sealed class ArrayDataCommandTests
{
    [Fact]
    public void Train_NpzTable_TrainsAndReportsAccuracy()
    {
        string dir = CliRunner.TempDir();
        string data = NpzTestWriter.WriteTable(Path.Combine(dir, "blobs.npz"), SyntheticData.Blobs(300, 3, 2, 0.5, 4));

        var (exit, output, error) = CliRunner.Run("train", "--data", data, "--layers", "2x16", "--epochs", "20", "--optimizer", "adam", "--lr", "0.01", "--json");

        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("blobs", doc.RootElement.GetProperty("data").GetString());
        var last = doc.RootElement.GetProperty("epochs")[19];
        Assert.True(last.GetProperty("test_accuracy").GetDouble() > 0.9, output);
    }

    [Fact]
    public void Inspect_ModelTrainedOnNpz_ReadsTheSameFile()
    {
        string dir = CliRunner.TempDir();
        string data = NpzTestWriter.WriteTable(Path.Combine(dir, "d.npz"), SyntheticData.Blobs(60, 3, 4, 1.0, 2));
        string model = Path.Combine(dir, "m.safetensors");
        var (trained, _, trainError) = CliRunner.Run("train", "--data", data, "--layers", "2x8", "--epochs", "2", "--save", model);
        Assert.True(trained == 0, trainError);

        var (exit, output, error) = CliRunner.Run("inspect", "--model", model, "--data", data, "--json");

        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("loss").GetDouble() > 0);
        Assert.Equal(3, doc.RootElement.GetProperty("layers").GetArrayLength());
    }

    [Fact]
    public void Train_SafetensorsTable_Trains()
    {
        string dir = CliRunner.TempDir();
        string data = Path.Combine(dir, "d.safetensors");
        var blobs = SyntheticData.Blobs(60, 2, 3, 1.0, 2);
        var labels = new double[blobs.Count];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = blobs.Labels[i];
        SafetensorsFile.Write(data, [new SafetensorsTensor("x", "F64", [60, 3], blobs.Features), new SafetensorsTensor("y", "I64", [60], labels)], null);

        var (exit, output, error) = CliRunner.Run("train", "--data", data, "--layers", "1x8", "--epochs", "1");

        Assert.True(exit == 0, error);
        Assert.Contains("network 3-8-2", output);
    }

    [Fact]
    public void SequenceFileWithPerStepLabels_ForADenseNetwork_ExitsOneSayingItScoresEveryStep()
    {
        string dir = CliRunner.TempDir();
        string data = Path.Combine(dir, "seq.npz");
        long[] labels = [0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1];
        File.WriteAllBytes(data, NpzTestWriter.Zip(
            false,
            ("x.npy", NpzTestWriter.Npy("<f4", [3, 4, 2], NpzTestWriter.Float32(new float[24]))),
            ("y.npy", NpzTestWriter.Npy("<i8", [3, 4], NpzTestWriter.Int64(labels)))));

        var (exit, output, error) = CliRunner.Run("train", "--data", data, "--no-store");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("error: The training data (seq) has a label for every step (many-to-many), but the network cannot output them: it has no recurrent layer", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("bad.npz", "not a readable .npz file")]
    [InlineData("bad.safetensors", "shorter than the 8-byte header length")]
    public void MalformedFile_ExitsOneNamingIt(string name, string problem)
    {
        string dir = CliRunner.TempDir();
        string data = Path.Combine(dir, name);
        File.WriteAllText(data, "x,y\n");

        var (exit, output, error) = CliRunner.Run("train", "--data", data, "--epochs", "1");

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: {data}: ", error);
        Assert.Contains(problem, error);
        Assert.DoesNotContain("   at ", error);
        Assert.Equal(string.Empty, output);
    }

    private static string TrainedModel(string dir)
    {
        string model = Path.Combine(dir, "m.safetensors");
        var (exit, _, error) = CliRunner.Run("train", "--layers", "1x4", "--epochs", "1", "--save", model);
        Assert.True(exit == 0, error);
        return model;
    }
}
