using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradscope.Tensors;

/// <summary>
/// Vectorized reductions for the monitor: sums accumulate in SIMD lanes of T for short blocks (64
/// vectors) and are flushed to double between blocks, so the rounding error of float inputs stays
/// at float's level (about 1e-6 relative) however long the array, instead of growing with its
/// length. The order of operations is fixed, so results are deterministic.
/// </summary>
public static class Reductions
{
    private const int BlockVectors = 64;

    /// <summary>Sum and sum of squares of <paramref name="values"/>, in double. NaN or infinity propagate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Sum, double SumOfSquares) SumAndSquares<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0, squares = 0;
        int i = 0;
        if (Elementwise.UseSimd)
        {
            int width = Vector<T>.Count;
            ref T start = ref MemoryMarshal.GetReference(values);
            while (i <= values.Length - width)
            {
                Vector<T> s = default, q = default;
                int blockEnd = Math.Min(values.Length - width, i + ((BlockVectors - 1) * width));
                for (; i <= blockEnd; i += width)
                {
                    var v = Vector.LoadUnsafe(ref start, (nuint)i);
                    s += v;
                    q += v * v;
                }

                sum += double.CreateTruncating(Vector.Sum(s));
                squares += double.CreateTruncating(Vector.Sum(q));
            }
        }

        for (; i < values.Length; i++)
        {
            double d = double.CreateTruncating(values[i]);
            sum += d;
            squares += d * d;
        }

        return (sum, squares);
    }

    /// <summary>Sum of squares in double (see <see cref="SumAndSquares{T}"/>).</summary>
    public static double SumOfSquares<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T> => SumAndSquares(values).SumOfSquares;

    /// <summary>Number of NaN and infinite elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int NaN, int Infinity) CountNonFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nan = 0, inf = 0;
        foreach (var v in values)
        {
            if (T.IsNaN(v))
                nan++;
            else if (T.IsInfinity(v))
                inf++;
        }

        return (nan, inf);
    }

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

    /// <summary>
    /// <c>sum = a + b</c>, returning the sum of squares of what it wrote, in double, in the same
    /// pass: two halves of a batch's weight gradient added into the gradient, with its norm.
    /// <paramref name="sum"/> may alias <paramref name="a"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double AddWithSquares<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> sum)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Length != b.Length || sum.Length != a.Length)
            throw new ArgumentException($"Lengths differ: {a.Length}, {b.Length} and {sum.Length}.");
        double squares = 0;
        int i = 0;
        if (Elementwise.UseSimd)
        {
            int width = Vector<T>.Count;
            ref T ra = ref MemoryMarshal.GetReference(a);
            ref T rb = ref MemoryMarshal.GetReference(b);
            ref T rs = ref MemoryMarshal.GetReference(sum);
            while (i <= a.Length - width)
            {
                Vector<T> q = default;
                int blockEnd = Math.Min(a.Length - width, i + ((BlockVectors - 1) * width));
                for (; i <= blockEnd; i += width)
                {
                    var v = Vector.LoadUnsafe(ref ra, (nuint)i) + Vector.LoadUnsafe(ref rb, (nuint)i);
                    v.StoreUnsafe(ref rs, (nuint)i);
                    q += v * v;
                }

                squares += double.CreateTruncating(Vector.Sum(q));
            }
        }

        for (; i < a.Length; i++)
        {
            sum[i] = a[i] + b[i];
            double v = double.CreateTruncating(sum[i]);
            squares += v * v;
        }

        return squares;
    }

    /// <summary>Squared L2 distance between two spans of equal length, in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SquaredDistance<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"Lengths differ: {a.Length} and {b.Length}.");
        double total = 0;
        int i = 0;
        if (Elementwise.UseSimd)
        {
            int width = Vector<T>.Count;
            ref T ra = ref MemoryMarshal.GetReference(a);
            ref T rb = ref MemoryMarshal.GetReference(b);
            while (i <= a.Length - width)
            {
                Vector<T> q = default;
                int blockEnd = Math.Min(a.Length - width, i + ((BlockVectors - 1) * width));
                for (; i <= blockEnd; i += width)
                {
                    var d = Vector.LoadUnsafe(ref ra, (nuint)i) - Vector.LoadUnsafe(ref rb, (nuint)i);
                    q += d * d;
                }

                total += double.CreateTruncating(Vector.Sum(q));
            }
        }

        for (; i < a.Length; i++)
        {
            double d = double.CreateTruncating(a[i]) - double.CreateTruncating(b[i]);
            total += d * d;
        }

        return total;
    }

    /// <summary>
    /// In one pass: the sum of squares of <paramref name="a"/> and the squared L2 distance between
    /// <paramref name="a"/> and <paramref name="b"/>, in double (the monitor's weight norm and update
    /// size after a step).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double SquaresA, double SquaredDistance) SquaresAndDistance<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"Lengths differ: {a.Length} and {b.Length}.");
        double squares = 0, distance = 0;
        int i = 0;
        if (Elementwise.UseSimd)
        {
            int width = Vector<T>.Count;
            ref T ra = ref MemoryMarshal.GetReference(a);
            ref T rb = ref MemoryMarshal.GetReference(b);
            while (i <= a.Length - width)
            {
                Vector<T> q = default, d2 = default;
                int blockEnd = Math.Min(a.Length - width, i + ((BlockVectors - 1) * width));
                for (; i <= blockEnd; i += width)
                {
                    var va = Vector.LoadUnsafe(ref ra, (nuint)i);
                    var d = va - Vector.LoadUnsafe(ref rb, (nuint)i);
                    q += va * va;
                    d2 += d * d;
                }

                squares += double.CreateTruncating(Vector.Sum(q));
                distance += double.CreateTruncating(Vector.Sum(d2));
            }
        }

        for (; i < a.Length; i++)
        {
            double va = double.CreateTruncating(a[i]);
            double d = va - double.CreateTruncating(b[i]);
            squares += va * va;
            distance += d * d;
        }

        return (squares, distance);
    }

    /// <summary>
    /// One pass over an activation's input <paramref name="x"/> and output <paramref name="y"/>
    /// (row-major <c>[rows, cols]</c>): counts elements whose derivative <c>TOp.Derivative(x, y)</c>
    /// is below <paramref name="threshold"/>, marks in <paramref name="aliveColumns"/> the columns
    /// with at least one element at or above it, and sums y and y^2 (the monitor's activation mean
    /// and spread come from the same pass).
    /// </summary>
    public static SaturationStats CountBelow<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, int cols, T threshold, Span<T> aliveColumns)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : IDerivativeOperator
    {
        long count = 0;
        double sum = 0, squares = 0;
        int rows = cols == 0 ? 0 : x.Length / cols;
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T ys = ref MemoryMarshal.GetReference(y);
        ref T alive = ref MemoryMarshal.GetReference(aliveColumns);
        var limit = new Vector<T>(threshold);
        if (Elementwise.UseSimd && cols % Vector<T>.Count == 0)
        {
            var (flatCount, flatSum, flatSquares) = CountBelowWholeVectors<T, TOp>(ref xs, ref ys, x.Length, cols, limit, ref alive);
            return new SaturationStats(flatCount, flatSum, flatSquares);
        }


        // Lanes accumulate across rows and flush to double every 64 vectors: a 64-unit layer has
        // only 8 vectors per row, so horizontal sums per row had cost as much as the row itself.
        Vector<T> laneSum = default, laneSquares = default;
        Vector<int> belowInt = default;
        Vector<long> belowLong = default;
        int pending = 0;
        int width = Vector<T>.Count;
        bool simd = Elementwise.UseSimd;
        for (int r = 0; r < rows; r++)
        {
            int rowStart = r * cols;
            int c = 0;
            if (simd)
            {
                for (; c <= cols - width; c += width)
                {
                    nuint at = (nuint)(rowStart + c);
                    var vy = Vector.LoadUnsafe(ref ys, at);
                    laneSum += vy;
                    laneSquares += vy * vy;

                    // A true comparison lane is all ones, -1 as an integer: subtracting the mask counts.
                    var below = Vector.LessThan(TOp.Derivative(Vector.LoadUnsafe(ref xs, at), vy), limit);
                    if (typeof(T) == typeof(float))
                        belowInt -= below.As<T, int>();
                    else
                        belowLong -= below.As<T, long>();
                    // Flags are 0 or 1: OR-ing their bits is the maximum, without Vector.Max's NaN handling.
                    var flags = Vector.AndNot(Vector<T>.One, below);
                    (Vector.LoadUnsafe(ref alive, (nuint)c) | flags).StoreUnsafe(ref alive, (nuint)c);
                    if (++pending == 64)
                    {
                        // Inline, not a helper taking refs: refs would pin the accumulators to the stack.
                        sum += double.CreateTruncating(Vector.Sum(laneSum));
                        squares += double.CreateTruncating(Vector.Sum(laneSquares));
                        laneSum = default;
                        laneSquares = default;
                        pending = 0;
                    }
                }
            }

            for (; c < cols; c++)
            {
                T yv = Unsafe.Add(ref ys, rowStart + c);
                double d = double.CreateTruncating(yv);
                sum += d;
                squares += d * d;
                if (TOp.Derivative(Unsafe.Add(ref xs, rowStart + c), yv) < threshold)
                    count++;
                else
                    Unsafe.Add(ref alive, c) = T.One;
            }
        }

        sum += double.CreateTruncating(Vector.Sum(laneSum));
        squares += double.CreateTruncating(Vector.Sum(laneSquares));
        count += typeof(T) == typeof(float) ? Vector.Sum(belowInt) : Vector.Sum(belowLong);
        return new SaturationStats(count, sum, squares);
    }

    // Rows of whole vectors (every layer width that is a multiple of 8 floats): one flat loop with
    // the column wrapping, and accumulators local to a block of 64 vectors so the JIT keeps them in
    // registers (spilled accumulators made the row-by-row loop five times slower than a plain sum).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (long Count, double Sum, double Squares) CountBelowWholeVectors<T, TOp>(ref T xs, ref T ys, int length, int cols, Vector<T> limit, ref T alive)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : IDerivativeOperator
    {
        int width = Vector<T>.Count;
        long count = 0;
        double sum = 0, squares = 0;
        int i = 0, c = 0;
        while (i < length)
        {
            Vector<T> laneSum = default, laneSquares = default;
            Vector<int> belowInt = default;
            Vector<long> belowLong = default;
            int blockEnd = Math.Min(length, i + (64 * width));
            for (; i < blockEnd; i += width)
            {
                var vy = Vector.LoadUnsafe(ref ys, (nuint)i);
                laneSum += vy;
                laneSquares += vy * vy;

                // A true comparison lane is all ones, -1 as an integer: subtracting the mask counts.
                var below = Vector.LessThan(TOp.Derivative(Vector.LoadUnsafe(ref xs, (nuint)i), vy), limit);
                if (typeof(T) == typeof(float))
                    belowInt -= below.As<T, int>();
                else
                    belowLong -= below.As<T, long>();

                // Flags are 0 or 1: OR-ing their bits is the maximum, without Vector.Max's NaN handling.
                (Vector.LoadUnsafe(ref alive, (nuint)c) | Vector.AndNot(Vector<T>.One, below)).StoreUnsafe(ref alive, (nuint)c);
                c += width;
                if (c == cols)
                    c = 0;
            }

            count += typeof(T) == typeof(float) ? Vector.Sum(belowInt) : Vector.Sum(belowLong);
            sum += double.CreateTruncating(Vector.Sum(laneSum));
            squares += double.CreateTruncating(Vector.Sum(laneSquares));
        }

        return (count, sum, squares);
    }

}

/// <summary>What one pass over an activation layer found: saturated (sample, unit) pairs, and the sum and sum of squares of its output.</summary>
public readonly record struct SaturationStats(long Saturated, double Sum, double SumOfSquares);
