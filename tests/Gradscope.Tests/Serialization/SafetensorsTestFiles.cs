using System.Buffers.Binary;
using System.Text;
using Gradscope.Memory;
using Gradscope.Serialization.Safetensors;

namespace Gradscope.Tests.Serialization;

/// <summary>Builds safetensors files by hand and reads them through every entry point.</summary>
internal static class SafetensorsTestFiles
{
    public const string Source = "bad.safetensors";

    /// <summary>The 8-byte little-endian length, the header text as UTF-8, then <paramref name="data"/>.</summary>
    public static byte[] Build(string header, ReadOnlySpan<byte> data) => Build(Encoding.UTF8.GetBytes(header), data);

    /// <summary>As <see cref="Build(string, ReadOnlySpan{byte})"/> with <paramref name="dataLength"/> zero bytes of data.</summary>
    public static byte[] Build(string header, int dataLength) => Build(header, new byte[dataLength]);

    public static byte[] Build(byte[] header, ReadOnlySpan<byte> data)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file.AsSpan(8 + header.Length));
        return file;
    }

    /// <summary>Reads from a span and from a seekable stream; both must agree.</summary>
    public static SafetensorsFile Read(byte[] file)
    {
        var fromSpan = SafetensorsFile.Read(file, Source);
        using var stream = new MemoryStream(file);
        var fromStream = SafetensorsFile.Read(stream, Source);
        Assert.Equal(fromSpan.Tensors.Count, fromStream.Tensors.Count);
        for (int i = 0; i < fromSpan.Tensors.Count; i++)
            Assert.Equal(fromSpan.Tensors[i].Values, fromStream.Tensors[i].Values);
        return fromSpan;
    }

    /// <summary>
    /// Asserts that reading fails the same way from a span, a seekable stream and an unseekable one,
    /// and returns the message.
    /// </summary>
    public static string ReadError(byte[] file)
    {
        var fromSpan = Assert.Throws<GradscopeException>(() => SafetensorsFile.Read(file, Source));
        var fromStream = Assert.Throws<GradscopeException>(() => SafetensorsFile.Read(new MemoryStream(file), Source));
        var fromPipe = Assert.Throws<GradscopeException>(() => SafetensorsFile.Read(new UnseekableStream(file), Source));
        Assert.Equal(fromSpan.Message, fromStream.Message);
        Assert.Equal(fromSpan.Message, fromPipe.Message);
        return fromSpan.Message;
    }
}

/// <summary>A read-only stream that cannot seek or tell its length, like a pipe.</summary>
internal sealed class UnseekableStream(byte[] bytes) : ReadOnlyStream
{
    private readonly MemoryStream _inner = new(bytes);

    public override int Read(Span<byte> buffer) => _inner.Read(buffer[..Math.Min(buffer.Length, 7)]);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _inner.Dispose();
        base.Dispose(disposing);
    }
}
