using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;

namespace Gradscope.Cli.Tests.Commands;

/// <summary><c>train --data fashion-mnist</c> tests on the official t10k files when they are there, and every accuracy names its split.</summary>
public sealed class OfficialTestSetTests
{
    private readonly string _dir = CliRunner.TempDir();

    /// <summary>Gzipped IDX files of <paramref name="count"/> 2x2 images labelled 0..9 in turn.</summary>
    private void WriteIdx(string prefix, int count)
    {
        var images = new byte[16 + (count * 4)];
        var labels = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(images, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), 2);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), 2);
        BinaryPrimitives.WriteInt32BigEndian(labels, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), count);
        for (int i = 0; i < count; i++)
        {
            labels[8 + i] = (byte)(i % 10);
            for (int p = 0; p < 4; p++)
                images[16 + (i * 4) + p] = (byte)((i % 10 * 25) + (p * 5) + (i % 3));
        }

        Gzip($"{prefix}-images-idx3-ubyte.gz", images);
        Gzip($"{prefix}-labels-idx1-ubyte.gz", labels);
    }

    private void Gzip(string name, byte[] bytes)
    {
        using var file = File.Create(Path.Combine(_dir, name));
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(bytes);
    }

    private (int Exit, string Out, string Err) Train(params string[] extra) =>
        CliRunner.Run(["train", "--data", "fashion-mnist", "--data-dir", _dir, "--layers", "8", "--epochs", "2", .. extra]);

    [Fact]
    public void OfficialTestFiles_AreTheTestSet()
    {
        WriteIdx("train", 50);
        WriteIdx("t10k", 12);
        var (exit, output, error) = Train();
        Assert.True(exit == 0, error);
        Assert.Contains("fashion-mnist: 50 train / 12 test (official) rows", output);
        Assert.Contains("test (official) loss", output);
        Assert.Matches(@"\| test \(official\) \|\s+12 \|", output);
        Assert.DoesNotContain("validation", output);
    }

    [Fact]
    public void OfficialTestFiles_WithTestSplit_ValidateOnTrainingRowsAndTestOnT10k()
    {
        WriteIdx("train", 50);
        WriteIdx("t10k", 12);
        var (exit, output, error) = Train("--test-split", "0.2");
        Assert.True(exit == 0, error);
        Assert.Contains("fashion-mnist: 40 train / 10 validation / 12 test (official) rows", output);
        Assert.Matches(@"\| validation\s+\|\s+10 \|", output);
        Assert.Matches(@"\| test \(official\) \|\s+12 \|", output);
    }

    [Fact]
    public void Json_SaysWhichSplitEachAccuracyComesFrom()
    {
        WriteIdx("train", 50);
        WriteIdx("t10k", 12);
        var (exit, output, error) = Train("--test-split", "0.2", "--json");
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("validation", root.GetProperty("held_out").GetString());
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["train", "validation", "test (official)"], results.Select(r => r.GetProperty("split").GetString()));
        Assert.Equal([40, 10, 12], results.Select(r => r.GetProperty("rows").GetInt32()));
        var lastEpoch = root.GetProperty("epochs").EnumerateArray().Last();
        Assert.Equal(lastEpoch.GetProperty("test_accuracy").GetDouble(), results[1].GetProperty("accuracy").GetDouble());
    }

    [Fact]
    public void WithoutOfficialTestFiles_HoldsOutATestSplit()
    {
        WriteIdx("train", 50);
        var (exit, output, error) = Train("--json");
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("test split", doc.RootElement.GetProperty("held_out").GetString());
        Assert.Equal([40, 10], doc.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("rows").GetInt32()));
    }
}
