using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradscope.Tensors;

/// <summary>Column sums of a row-major matrix: a dense layer's bias gradient.</summary>
internal static partial class Reductions
{
    /// <summary>
    /// Adds the rows of a row-major matrix of <paramref name="cols"/> columns into
    /// <paramref name="sums"/> (a dense layer's bias gradient), or writes their sum over it when
    /// <paramref name="accumulate"/> is false. Each column is summed over the rows in order, as
    /// adding one row at a time would, but in registers: 64-column rows summed one call per row
    /// spent most of their time in the calls.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SumRows<T>(ReadOnlySpan<T> matrix, int cols, Span<T> sums, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (sums.Length != cols || cols == 0 || matrix.Length % cols != 0)
            throw new ArgumentException($"A matrix of {matrix.Length} elements in rows of {cols} cannot be summed into {sums.Length} columns.");
        int rows = matrix.Length / cols;
        if (!accumulate)
        {
            // Written over: the first row is the start (a copy, so a -0 stays -0 as one row at a time had it).
            if (rows == 0)
            {
                sums.Clear();
                return;
            }

            matrix[..cols].CopyTo(sums);
            matrix = matrix[cols..];
            rows--;
        }

        int c = 0;
        if (Elementwise.UseSimd)
        {
            int width = Vector<T>.Count;
            ref T m = ref MemoryMarshal.GetReference(matrix);
            ref T s = ref MemoryMarshal.GetReference(sums);
            for (; c <= cols - (4 * width); c += 4 * width)
                AddRowsToFourVectors(ref m, cols, rows, ref Unsafe.Add(ref s, c), c);
            for (; c <= cols - width; c += width)
            {
                var acc = Vector.LoadUnsafe(ref s, (nuint)c);
                for (int r = 0; r < rows; r++)
                    acc += Vector.LoadUnsafe(ref m, (nuint)((r * cols) + c));
                acc.StoreUnsafe(ref s, (nuint)c);
            }
        }

        for (; c < cols; c++)
        {
            T acc = sums[c];
            for (int r = 0; r < rows; r++)
                acc += matrix[(r * cols) + c];
            sums[c] = acc;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRowsToFourVectors<T>(ref T matrix, int cols, int rows, ref T sums, int col)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector<T>.Count;
        var a0 = Vector.LoadUnsafe(ref sums);
        var a1 = Vector.LoadUnsafe(ref sums, (nuint)w);
        var a2 = Vector.LoadUnsafe(ref sums, (nuint)(2 * w));
        var a3 = Vector.LoadUnsafe(ref sums, (nuint)(3 * w));
        for (int r = 0; r < rows; r++)
        {
            ref T row = ref Unsafe.Add(ref matrix, (r * cols) + col);
            a0 += Vector.LoadUnsafe(ref row);
            a1 += Vector.LoadUnsafe(ref row, (nuint)w);
            a2 += Vector.LoadUnsafe(ref row, (nuint)(2 * w));
            a3 += Vector.LoadUnsafe(ref row, (nuint)(3 * w));
        }

        a0.StoreUnsafe(ref sums);
        a1.StoreUnsafe(ref sums, (nuint)w);
        a2.StoreUnsafe(ref sums, (nuint)(2 * w));
        a3.StoreUnsafe(ref sums, (nuint)(3 * w));
    }
}
