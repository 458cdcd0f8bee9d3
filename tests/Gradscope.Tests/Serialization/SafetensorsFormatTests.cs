using System.Text;
using Gradscope.Serialization.Safetensors;
using static Gradscope.Tests.Serialization.SafetensorsTestFiles;

namespace Gradscope.Tests.Serialization;

/// <summary>
/// The bytes on disk. Expected files are written out by hand from the format and from what the
/// reference implementation (huggingface/safetensors, which PyTorch's <c>save_file</c> calls)
/// produces: serde_json compact JSON, <c>__metadata__</c> first, tensors sorted by dtype then name,
/// the header padded with spaces to a multiple of 8 bytes.
/// </summary>
public sealed class SafetensorsFormatTests
{
    [Fact]
    public void Write_TwoF32TensorsWithMetadata_MatchesReferenceBytes()
    {
        // Both tensors are F32, so the reference orders them by name: "0.bias" < "0.weight".
        var tensors = new[]
        {
            new SafetensorsTensor("0.bias", "F32", [2], [1.0, -2.0]),
            new SafetensorsTensor("0.weight", "F32", [2, 1], [0.5, 3.0]),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt" };

        // The header JSON is 153 bytes; 7 spaces pad it to 160 = 0xA0, a multiple of 8.
        const string Json = "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[8,16]}}";
        Assert.Equal(153, Json.Length);
        byte[] expected =
        [
            0xA0, 0, 0, 0, 0, 0, 0, 0,                  // header length 160, u64 little-endian
            .. Encoding.ASCII.GetBytes(Json),
            .. "       "u8,                             // 7 spaces of padding
            0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0, // 0.bias: 1.0f, -2.0f
            0x00, 0x00, 0x00, 0x3F, 0x00, 0x00, 0x40, 0x40, // 0.weight: 0.5f, 3.0f
        ];

        Assert.Equal(expected, WriteToBytes(tensors, metadata));
    }

    [Fact]
    public void Write_F64ScalarWithoutMetadata_MatchesReferenceBytes()
    {
        var tensors = new[] { new SafetensorsTensor("w", "F64", [], [-1.5]) };

        // 53 bytes of JSON + 3 spaces = 56 = 0x38; no metadata means no "__metadata__" key.
        const string Json = "{\"w\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}}";
        Assert.Equal(53, Json.Length);
        byte[] expected =
        [
            0x38, 0, 0, 0, 0, 0, 0, 0,
            .. Encoding.ASCII.GetBytes(Json),
            .. "   "u8,
            0, 0, 0, 0, 0, 0, 0xF8, 0xBF,                 // -1.5
        ];

        Assert.Equal(expected, WriteToBytes(tensors, metadata: null));
    }

    [Fact]
    public void Read_HeaderPaddedWithSpaces_ReadsTensor()
    {
        // The example in the reference's documentation: 60-byte header ("<") holding a 2x2 I32
        // tensor of 16 zero bytes; here with 4 trailing spaces and real values.
        string header = "{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}    ";
        byte[] data = [1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0x80, 0xFF, 0xFF, 0xFF, 0x7F];

        var file = Read(Build(header, data));

        var tensor = Assert.Single(file.Tensors);
        Assert.Equal("test", tensor.Name);
        Assert.Equal([2, 2], tensor.Shape);
        Assert.Equal([1.0, -1.0, int.MinValue, int.MaxValue], tensor.Values);
    }

    [Fact]
    public void Read_F16_DecodesKnownValues()
    {
        // 1.0 = 0x3C00, -2.0 = 0xC000, 0.5 = 0x3800, smallest subnormal 0x0001 = 2^-24,
        // largest subnormal 0x03FF = 1023 * 2^-24, largest finite 0x7BFF = 65504, -inf = 0xFC00.
        byte[] data = [0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38, 0x01, 0x00, 0xFF, 0x03, 0xFF, 0x7B, 0x00, 0xFC];

        var tensor = ReadSingle("F16", data);

        Assert.Equal([1.0, -2.0, 0.5, Math.ScaleB(1, -24), 1023 * Math.ScaleB(1, -24), 65504.0, double.NegativeInfinity], tensor.Values);
    }

    [Fact]
    public void Read_BF16_DecodesKnownValues()
    {
        // bfloat16 is the top half of a float: 1.0 = 0x3F80, -2.0 = 0xC000, 0.5 = 0x3F00,
        // smallest subnormal 0x0001 = 2^-133, 0x4049 = 3.140625 (pi rounded to 8 significant bits).
        byte[] data = [0x80, 0x3F, 0x00, 0xC0, 0x00, 0x3F, 0x01, 0x00, 0x49, 0x40];

        var tensor = ReadSingle("BF16", data);

        Assert.Equal([1.0, -2.0, 0.5, Math.ScaleB(1, -133), 3.140625], tensor.Values);
    }

    [Fact]
    public void Read_BF16NaN_StaysNaN()
    {
        var tensor = ReadSingle("BF16", [0xC0, 0x7F]);

        Assert.True(double.IsNaN(Assert.Single(tensor.Values)));
    }

    [Fact]
    public void Read_I64_DecodesLittleEndian()
    {
        // -2 and 2^40 + 1, both exact in a double.
        byte[] data = [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0, 0, 0, 0, 0x01, 0, 0];

        var tensor = ReadSingle("I64", data);

        Assert.Equal([-2.0, 1099511627777.0], tensor.Values);
    }

    [Fact]
    public void Read_TensorsListedOutOfDataOrder_ReturnsDataOrder()
    {
        string header = "{\"second\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
            + "\"__metadata__\":{\"b\":\"2\",\"a\":\"1\"},"
            + "\"first\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        byte[] data = [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40];

        var file = Read(Build(header, data));

        Assert.Equal(["first", "second"], file.Tensors.Select(t => t.Name));
        Assert.Equal([1.0, 2.0], file.Tensors.Select(t => t.Values[0]));
        Assert.Equal(["b", "a"], file.Metadata.Keys);
    }

    [Fact]
    public void Read_EmptyTensorsSharingAnOffset_AreAccepted()
    {
        string header = "{\"e1\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"e2\":{\"dtype\":\"F64\",\"shape\":[3,0],\"data_offsets\":[4,4]}}";

        var file = Read(Build(header, 4));

        Assert.Equal(["a", "e1", "e2"], file.Tensors.Select(t => t.Name));
        Assert.Equal(0, file["e2"].ElementCount);
    }

    [Fact]
    public void Read_UnknownFieldsAndNullMetadata_AreIgnored()
    {
        string header = "{\"__metadata__\":null,\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":{\"x\":[1,2]}}}";

        var file = Read(Build(header, [0, 0, 0x80, 0xBF]));

        Assert.Empty(file.Metadata);
        Assert.Equal([-1.0], file["a"].Values);
    }

    [Fact]
    public void Read_EmptyHeaderObject_HasNoTensors()
    {
        var file = Read(Build("{}", 0));

        Assert.Empty(file.Tensors);
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void Read_ScalarTensor_HoldsOneValue()
    {
        var tensor = ReadSingle("F32", [0, 0, 0x40, 0x40], shape: "[]");

        Assert.Empty(tensor.Shape);
        Assert.Equal(1, tensor.ElementCount);
        Assert.Equal([3.0], tensor.Values);
    }

    private static SafetensorsTensor ReadSingle(string dtype, byte[] data, string? shape = null)
    {
        int size = dtype switch { "F16" or "BF16" => 2, "F32" or "I32" => 4, _ => 8 };
        shape ??= $"[{data.Length / size}]";
        string header = $"{{\"t\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[0,{data.Length}]}}}}";
        var tensor = Assert.Single(Read(Build(header, data)).Tensors);
        Assert.Equal(dtype, tensor.DType);
        return tensor;
    }

    private static byte[] WriteToBytes(SafetensorsTensor[] tensors, Dictionary<string, string>? metadata)
    {
        using var stream = new MemoryStream();
        SafetensorsFile.Write(stream, tensors, metadata, "test");
        return stream.ToArray();
    }
}
