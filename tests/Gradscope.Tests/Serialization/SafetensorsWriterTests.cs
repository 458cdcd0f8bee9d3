using Gradscope.Serialization.Safetensors;

namespace Gradscope.Tests.Serialization;

public sealed class SafetensorsWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradscope-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Write_TensorWhoseShapeNoLongerMatchesValues_LeavesOldFileIntact()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        SafetensorsFile.Write(path, [new SafetensorsTensor("w", "F32", [2], [1, 2])], null);
        byte[] before = File.ReadAllBytes(path);
        var broken = new SafetensorsTensor("w", "F32", [2, 2], [1, 2, 3, 4]);
        broken.Shape[1] = 3;

        var ex = Assert.Throws<GradscopeException>(() => SafetensorsFile.Write(path, [broken], null));

        Assert.Equal($"cannot write '{path}': tensor 'w' has shape [2, 3] = 6 values but holds 4", ex.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void Write_DestinationIsAFolder_FailsAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_folder, "taken");
        Directory.CreateDirectory(path);

        var ex = Assert.Throws<GradscopeException>(() => SafetensorsFile.Write(path, [new SafetensorsTensor("w", "F64", [1], [1])], null));

        Assert.StartsWith($"cannot write '{path}': ", ex.Message);
        Assert.EndsWith("Any earlier file at that path is unchanged.", ex.Message);
        Assert.Empty(Directory.GetFiles(_folder));
        Assert.True(Directory.Exists(path));
    }

    [Fact]
    public void Write_MissingFolder_Fails()
    {
        string path = Path.Combine(_folder, "no-such-folder", "m.safetensors");

        var ex = Assert.Throws<GradscopeException>(() => SafetensorsFile.Write(path, [], null));

        Assert.StartsWith($"cannot write '{path}': ", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public void Write_ReplacesExistingFile()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        SafetensorsFile.Write(path, [new SafetensorsTensor("old", "F32", [1], [1])], null);

        SafetensorsFile.Write(path, [new SafetensorsTensor("new", "F64", [1], [2])], null);

        Assert.Equal("new", Assert.Single(SafetensorsFile.Read(path).Tensors).Name);
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    // SafetensorsFile is internal, so the theory takes an index into these cases (a public test
    // method cannot take an internal type).
    private static readonly (SafetensorsTensor[] Tensors, Dictionary<string, string>? Metadata, string Expected)[] InvalidCases =
    [
        ([new SafetensorsTensor("w", "F16", [1], [1])], null, "tensor 'w' is F16; Gradscope writes F32, F64 and I64 only"),
        ([new SafetensorsTensor("n", "I64", [2], [3, 1.5])], null, "tensor 'n' is I64 but holds 1.5 at index 1, which is not a 64-bit whole number"),
        ([new SafetensorsTensor("w", "F32", [1], [1]), new SafetensorsTensor("w", "F64", [1], [2])], null, "tensor 'w' appears twice; names must be unique"),
        ([new SafetensorsTensor("__metadata__", "F32", [1], [1])], null, "\"__metadata__\" is reserved for the metadata and cannot name a tensor"),
        ([], new Dictionary<string, string> { ["k"] = null! }, "metadata 'k' has a null value; metadata values are strings"),
        ([new SafetensorsTensor("a\ud800", "F32", [1], [1])], null, "tensor name 'a\ud800' is not valid Unicode (it holds a lone surrogate at index 1)"),
        ([], new Dictionary<string, string> { ["k"] = "\udc00" }, "metadata value of 'k' '\udc00' is not valid Unicode (it holds a lone surrogate at index 0)"),
    ];

    public static TheoryData<int> InvalidInputs => [.. Enumerable.Range(0, InvalidCases.Length)];

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public void Write_InvalidInput_ThrowsBeforeWritingAnything(int index)
    {
        var (tensors, metadata, expected) = InvalidCases[index];
        using var stream = new MemoryStream();

        var ex = Assert.Throws<GradscopeException>(() => SafetensorsFile.Write(stream, tensors, metadata, "out.safetensors"));

        Assert.Equal($"cannot write 'out.safetensors': {expected}", ex.Message);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void Constructor_ValueCountNotMatchingShape_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SafetensorsTensor("w", "F32", [2, 2], [1, 2, 3]));

        Assert.StartsWith("Tensor 'w' has shape [2, 2] = 4 values but 3 were given.", ex.Message);
    }

    [Fact]
    public void Constructor_UnknownDType_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SafetensorsTensor("w", "BOOL", [1], [1]));

        Assert.StartsWith("Unsupported dtype 'BOOL'; expected F32, F64, F16, BF16, I8, I16, I32, I64, U8, U16, U32 and U64.", ex.Message);
    }

    [Fact]
    public void FromValues_Double_IsF64AndCopies()
    {
        double[] source = [1.5, 2.5];

        var tensor = SafetensorsTensor.FromValues<double>("b", [2], source);
        source[0] = 9;

        Assert.Equal("F64", tensor.DType);
        Assert.Equal([1.5, 2.5], tensor.Values);
    }
}
