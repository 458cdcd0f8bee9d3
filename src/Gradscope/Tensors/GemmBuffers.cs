using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradscope.Tensors;

/// <summary>
/// Per-thread packing buffers, grown to the largest block seen and then reused, so steady-state
/// products allocate nothing and concurrent threads never share one. Pinned and 64-byte aligned
/// so packed panels start on cache lines.
/// </summary>
internal sealed class GemmBuffers<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Alignment = 64;

    [ThreadStatic]
    private static GemmBuffers<T>? _current;

    private T[] _a = [];
    private int _aOffset;
    private T[] _b = [];
    private int _bOffset;

    public static GemmBuffers<T> ForCurrentThread() => _current ??= new GemmBuffers<T>();

    /// <summary>Room for <paramref name="length"/> elements of packed A; contents undefined.</summary>
    public Span<T> A(int length) => Get(ref _a, ref _aOffset, length);

    /// <summary>Room for <paramref name="length"/> elements of packed B; contents undefined.</summary>
    public Span<T> B(int length) => Get(ref _b, ref _bOffset, length);

    private static Span<T> Get(ref T[] buffer, ref int offset, int length)
    {
        if (buffer.Length - offset < length)
        {
            buffer = GC.AllocateUninitializedArray<T>(length + (Alignment / Unsafe.SizeOf<T>()), pinned: true);
            offset = AlignedOffset(buffer);
        }

        return buffer.AsSpan(offset, length);
    }

    // The array is on the pinned object heap, so its address, and hence this offset, never changes.
    private static unsafe int AlignedOffset(T[] buffer)
    {
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        int misalignment = (int)(address % Alignment);
        return misalignment == 0 ? 0 : (Alignment - misalignment) / Unsafe.SizeOf<T>();
    }
}
