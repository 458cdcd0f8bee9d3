using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Gradscope.Optimizers;

/// <summary>Reductions accumulated in double whatever T is, vectorized and allocation-free.</summary>
internal static class DoubleReductions
{
    // Widening chunk on the stack: 2 KiB, small enough for any thread.
    private const int ChunkLength = 256;

    /// <summary>Sum of squares; a float span is widened chunk by chunk, so squares up to 1e38^2 stay finite.</summary>
    public static double SumOfSquares<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
            return TensorPrimitives.SumOfSquares(MemoryMarshal.Cast<T, double>(values));

        Span<double> wide = stackalloc double[ChunkLength];
        double sum = 0;
        for (int start = 0; start < values.Length; start += ChunkLength)
        {
            ReadOnlySpan<T> chunk = values.Slice(start, Math.Min(ChunkLength, values.Length - start));
            Span<double> widened = wide[..chunk.Length];
            TensorPrimitives.ConvertTruncating(chunk, widened);
            sum += TensorPrimitives.SumOfSquares<double>(widened);
        }

        return sum;
    }
}
