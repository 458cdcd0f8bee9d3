using System.Buffers.Binary;
using System.Text;
using Gradscope.Serialization.Safetensors;
using static Gradscope.Tests.Serialization.SafetensorsTestFiles;

namespace Gradscope.Tests.Serialization;

public sealed class SafetensorsMalformedTests
{
    private const string A4 = "\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":";

    /// <summary>(header JSON, bytes of data after it, expected message after "bad.safetensors: ").</summary>
    public static TheoryData<string, int, string> MalformedHeaders => new()
    {
        { "", 0, "the header is empty (its length is 0); a safetensors header is a JSON object" },
        { "[1]", 0, "the header must start with '{' but starts with byte 0x5B; this is not a safetensors file or it is corrupt" },
        { " {}", 0, "the header must start with '{' but starts with byte 0x20; this is not a safetensors file or it is corrupt" },
        { "{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 'a' has no \"dtype\"; each tensor needs \"dtype\", \"shape\" and \"data_offsets\"" },
        { "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4, "tensor 'a' has no \"shape\"; each tensor needs \"dtype\", \"shape\" and \"data_offsets\"" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "tensor 'a' has no \"data_offsets\"; each tensor needs \"dtype\", \"shape\" and \"data_offsets\"" },
        { "{\"a\":5}", 0, "tensor 'a' must be an object with \"dtype\", \"shape\" and \"data_offsets\" but is 5" },
        { "{\"a\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 'a': \"dtype\" must be a string such as \"F32\" but is 32" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}", 8, "tensor 'a': \"shape\" must be an array of non-negative integers but is the string \"2\"" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "tensor 'a': \"shape\" must hold non-negative integers but element 0 is -1" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4, "tensor 'a': \"shape\" must hold non-negative integers but element 0 is 1.5" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,\"3\"],\"data_offsets\":[0,24]}}", 24, "tensor 'a': \"shape\" must hold non-negative integers but element 1 is the string \"3\"" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[3000000000],\"data_offsets\":[0,4]}}", 4, "tensor 'a': dimension 0 is 3000000000, more than the 2147483647 Gradscope supports" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,4]}}", 4, "tensor 'a' has shape [2147483647, 2147483647, 2147483647], whose element count overflows 64 bits" },
        { "{\"a\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2],\"data_offsets\":[0,4]}}", 4, "tensor 'a' is [2147483647, 2147483647, 2] F64, more bytes than a 64-bit offset can address" },
        { "{\"a\":{" + A4 + "[0,4,8]}}", 8, "tensor 'a': \"data_offsets\" must be [begin, end] but has 3 elements" },
        { "{\"a\":{" + A4 + "{\"begin\":0}}}", 4, "tensor 'a': \"data_offsets\" must be an array of non-negative integers but is an object" },
        { "{\"a\":{" + A4 + "[-4,0]}}", 4, "tensor 'a': \"data_offsets\" must hold non-negative integers but element 0 is -4" },
        { "{\"a\":{" + A4 + "[8,4]}}", 8, "tensor 'a' has data_offsets [8, 4]: the end is before the begin" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4, "tensor 'a' has data_offsets [0, 8] but only 4 bytes of data follow the header; the file is truncated" },
        { "{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[32,2],\"data_offsets\":[0,200]}}", 200, "tensor '0.weight' is [32, 2] F32 = 256 bytes but its offsets span 200" },
        { "{\"a\":{" + A4 + "[0,4]},\"b\":{" + A4 + "[8,12]}}", 12, "tensor 'a' ends at data byte 4 but the next tensor, 'b', begins at 8: 4 bytes belong to no tensor (a hole)" },
        { "{\"a\":{" + A4 + "[4,8]}}", 8, "the first tensor, 'a', begins at data byte 4, not 0: 4 bytes belong to no tensor (a hole)" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{" + A4 + "[4,8]}}", 8, "tensor 'b' (data bytes 4 to 8) overlaps tensor 'a' (data bytes 0 to 8)" },
        { "{\"a\":{" + A4 + "[0,4]}}", 8, "the tensors cover 4 bytes of data but 8 bytes follow the header: the last 4 bytes belong to no tensor" },
        { "{\"a\":{" + A4 + "[0,4]},\"a\":{" + A4 + "[4,8]}}", 8, "tensor 'a' appears twice in the header; names must be unique" },
        { "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 'a' has \"dtype\" twice" },
        { "{\"__metadata__\":{},\"__metadata__\":{}}", 0, "\"__metadata__\" appears twice in the header" },
        { "{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", 0, "\"__metadata__\" key 'k' appears twice" },
        { "{\"__metadata__\":{\"epochs\":3}}", 0, "\"__metadata__\" value of 'epochs' must be a string but is 3" },
        { "{\"__metadata__\":[\"x\"]}", 0, "\"__metadata__\" must be an object of string values but is an array" },
        { "{\"a\":{\"dtype\":\"BOOL\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4, "tensor 'a' has unsupported dtype 'BOOL'; Gradscope reads F32, F64, F16, BF16, I8, I16, I32, I64, U8, U16, U32 and U64" },
        { "{\"a\":{\"dtype\":\"f32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 'a' has unsupported dtype 'f32'; Gradscope reads F32, F64, F16, BF16, I8, I16, I32, I64, U8, U16, U32 and U64" },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void Read_MalformedHeader_ThrowsWithSpecificMessage(string header, int dataLength, string expected)
    {
        string message = ReadError(Build(header, dataLength));

        Assert.Equal($"{Source}: {expected}", message);
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",}}", 1, 21, "The JSON object contains a trailing comma")]
    [InlineData("{\"a\":", 1, 6, "Expected depth to be zero at the end of the JSON payload")]
    [InlineData("{} x", 1, 4, "'x' is invalid after a single JSON value")]
    [InlineData("{\n\"a\": nope}", 2, 7, "'nope}' is an invalid JSON literal")]
    public void Read_InvalidJson_ReportsOneBasedPosition(string header, int line, int column, string cause)
    {
        string message = ReadError(Build(header, 0));

        Assert.StartsWith($"{Source}: the header is not valid JSON (line {line}, byte {column}): {cause}", message);
        Assert.DoesNotContain("LineNumber", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(7)]
    public void Read_FileShorterThanLengthPrefix_Throws(int length)
    {
        string message = ReadError(new byte[length]);

        Assert.Equal($"{Source}: the file is {length} bytes long, shorter than the 8-byte header length every safetensors file starts with", message);
    }

    [Fact]
    public void Read_HeaderLongerThanFile_Throws()
    {
        var file = Build("{}", 18);
        BinaryPrimitives.WriteUInt64LittleEndian(file, 100);

        string message = ReadError(file);

        Assert.Equal($"{Source}: the header says 100 bytes but only 20 remain after the 8-byte length; the file is truncated or not a safetensors file", message);
    }

    [Theory]
    [InlineData(100_000_001UL)]
    [InlineData(ulong.MaxValue)]
    public void Read_HeaderAboveLimit_Throws(ulong declared)
    {
        var file = Build("{}", 0);
        BinaryPrimitives.WriteUInt64LittleEndian(file, declared);

        string message = ReadError(file);

        Assert.Equal($"{Source}: the header says it is {declared} bytes long, more than the 100000000 bytes a safetensors header may have; this is not a safetensors file or it is corrupt", message);
    }

    [Fact]
    public void Read_TextFileMistakenForSafetensors_ReportsHeaderAboveLimit()
    {
        string message = ReadError(Encoding.ASCII.GetBytes("label,x,y\n1,0.5,0.25\n"));

        Assert.StartsWith($"{Source}: the header says it is ", message);
        Assert.EndsWith("this is not a safetensors file or it is corrupt", message);
    }

    [Fact]
    public void Read_HeaderNotUtf8_Throws()
    {
        byte[] header = [.. "{\"a"u8, 0xFF, .. "\":{}}"u8];

        string message = ReadError(Build(header, []));

        Assert.Equal($"{Source}: the header is not valid UTF-8 text", message);
    }

    [Fact]
    public void Read_EscapedLoneSurrogate_Throws()
    {
        string message = ReadError(Build("{\"\\ud800\":{}}", 0));

        Assert.StartsWith($"{Source}: the header holds a string that is not valid Unicode: ", message);
    }

    [Fact]
    public void Read_FileChangedWhileReading_ReportsTruncation()
    {
        var file = Build("{\"a\":{" + A4 + "[0,4]}}", 4);
        using var stream = new ShrinkingStream(file, file.Length - 2);

        var ex = Assert.Throws<GradscopeException>(() => SafetensorsFile.Read(stream, Source));

        Assert.Equal($"{Source}: the file ended before the bytes its header promises; was it changed while being read?", ex.Message);
    }

    /// <summary>Reports the full length but ends early, as a file truncated by another process would.</summary>
    private sealed class ShrinkingStream(byte[] bytes, int available) : MemoryStream(bytes, 0, available)
    {
        private readonly long _claimedLength = bytes.Length;

        public override long Length => _claimedLength;
    }
}
