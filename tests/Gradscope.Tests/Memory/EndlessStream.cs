using Gradscope.Memory;

namespace Gradscope.Tests.Memory;

/// <summary>A stream that never ends and cannot seek, as a pipe or a device: the same bytes over and over.</summary>
internal sealed class EndlessStream(byte[] pattern) : ReadOnlyStream
{
    private long _position;

    public long BytesRead => _position;

    public override int Read(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
            buffer[i] = pattern[(int)((_position + i) % pattern.Length)];
        _position += buffer.Length;
        return buffer.Length;
    }

}
