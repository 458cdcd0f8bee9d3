using Gradscope.Serialization.Safetensors;

namespace Gradscope.Tests.Serialization;

public sealed class SafetensorsRoundTripTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradscope-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void RoundTrip_F32WithMetadata_KeepsValuesOrderAndMetadata()
    {
        // Written in non-alphabetical order: the writer keeps the caller's order.
        var tensors = new[]
        {
            SafetensorsTensor.FromValues<float>("0.weight", [2, 3], [0.1f, -0.2f, 3e-38f, float.MaxValue, -0f, 1e-45f]),
            SafetensorsTensor.FromValues<float>("0.bias", [2], [float.PositiveInfinity, 7f]),
        };
        var metadata = new Dictionary<string, string> { ["architecture"] = "Linear(3,2)", ["activation"] = "tanh" };
        string path = Path.Combine(_folder, "model.safetensors");

        SafetensorsFile.Write(path, tensors, metadata);
        var file = SafetensorsFile.Read(path);

        Assert.Equal(path, file.SourceName);
        Assert.Equal(["0.weight", "0.bias"], file.Tensors.Select(t => t.Name));
        Assert.Equal([2, 3], file["0.weight"].Shape);
        Assert.Equal("F32", file["0.weight"].DType);
        Assert.Equal([0.1f, -0.2f, 3e-38f, float.MaxValue, -0f, 1e-45f], file["0.weight"].ToSingleArray());
        Assert.True(float.IsNegative(file["0.weight"].ToSingleArray()[4]));
        Assert.Equal([float.PositiveInfinity, 7f], file["0.bias"].ToSingleArray());
        Assert.Equal(metadata, file.Metadata);
    }

    [Fact]
    public void RoundTrip_F64_KeepsEveryBit()
    {
        double[] values = [Math.PI, -1e-300, double.Epsilon, double.MaxValue, -0.0, double.NaN];
        string path = Path.Combine(_folder, "f64.safetensors");

        SafetensorsFile.Write(path, [new SafetensorsTensor("x", "F64", [3, 2], values)], new Dictionary<string, string> { ["k"] = "v\"\\ é\n" });
        var file = SafetensorsFile.Read(path);

        var read = file["x"].Values;
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(BitConverter.DoubleToInt64Bits(values[i]), BitConverter.DoubleToInt64Bits(read[i]));
        Assert.Equal("v\"\\ é\n", file.Metadata["k"]);
    }

    [Fact]
    public void RoundTrip_F32_RoundsDoublesToNearestFloat()
    {
        string path = Path.Combine(_folder, "round.safetensors");

        SafetensorsFile.Write(path, [new SafetensorsTensor("x", "F32", [2], [0.1, 1e300])], null);

        Assert.Equal([(double)0.1f, double.PositiveInfinity], SafetensorsFile.Read(path)["x"].Values);
    }

    [Fact]
    public void RoundTrip_ScalarAndEmptyTensors_KeepShapes()
    {
        var tensors = new[]
        {
            new SafetensorsTensor("scalar", "F32", [], [2.5]),
            new SafetensorsTensor("empty", "F64", [4, 0, 2], []),
            new SafetensorsTensor("after", "F32", [1], [-1.0]),
        };
        string path = Path.Combine(_folder, "shapes.safetensors");

        SafetensorsFile.Write(path, tensors, null);
        var file = SafetensorsFile.Read(path);

        Assert.Equal(["scalar", "empty", "after"], file.Tensors.Select(t => t.Name));
        Assert.Empty(file["scalar"].Shape);
        Assert.Equal([2.5], file["scalar"].Values);
        Assert.Equal([4, 0, 2], file["empty"].Shape);
        Assert.Equal(0, file["empty"].ElementCount);
        Assert.Equal([-1.0], file["after"].Values);
    }

    [Fact]
    public void RoundTrip_TensorLargerThanReadChunk_DecodesAcrossChunks()
    {
        // F16 is not written, so the crossing is exercised with F32 and F64 at odd lengths.
        int floats = (SafetensorsReader.ChunkBytes / 4) + 3;
        var small = new double[floats];
        var large = new double[(SafetensorsReader.ChunkBytes / 8) + 5];
        for (int i = 0; i < small.Length; i++)
            small[i] = i % 1000 - 500;
        for (int i = 0; i < large.Length; i++)
            large[i] = i * 0.25;
        string path = Path.Combine(_folder, "big.safetensors");

        SafetensorsFile.Write(path, [new SafetensorsTensor("a", "F32", [floats], small), new SafetensorsTensor("b", "F64", [large.Length], large)], null);
        var file = SafetensorsFile.Read(path);

        Assert.Equal(small, file["a"].Values);
        Assert.Equal(large, file["b"].Values);
    }

    [Fact]
    public void Read_UnseekableStream_MatchesFile()
    {
        string path = Path.Combine(_folder, "pipe.safetensors");
        SafetensorsFile.Write(path, [new SafetensorsTensor("x", "F32", [3], [1, 2, 3])], new Dictionary<string, string> { ["a"] = "b" });

        var file = SafetensorsFile.Read(new UnseekableStream(File.ReadAllBytes(path)), "pipe");

        Assert.Equal([1.0, 2.0, 3.0], file["x"].Values);
        Assert.Equal("b", file.Metadata["a"]);
    }

    [Fact]
    public void Indexer_UnknownName_ThrowsListingNames()
    {
        var file = SafetensorsTestFiles.Read(SafetensorsTestFiles.Build("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4));

        var ex = Assert.Throws<GradscopeException>(() => file["2.weight"]);

        Assert.Equal("bad.safetensors has no tensor '2.weight'; it has '0.weight'", ex.Message);
        Assert.False(file.TryGet("2.weight", out var missing));
        Assert.Null(missing);
        Assert.True(file.TryGet("0.weight", out var found));
        Assert.Equal(1, found.ElementCount);
    }

    [Fact]
    public void Read_MissingFile_ThrowsNamingIt()
    {
        string path = Path.Combine(_folder, "absent.safetensors");

        var ex = Assert.Throws<GradscopeException>(() => SafetensorsFile.Read(path));

        Assert.StartsWith($"{path}: cannot open: ", ex.Message);
    }
}
