using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradscope.Tensors;

/// <summary>Saturation counts of an activation, with its output's sum and sum of squares from the same pass.</summary>
internal static partial class Reductions
{
    /// <summary>
    /// One pass over an activation's input <paramref name="x"/> and output <paramref name="y"/>
    /// (row-major <c>[rows, cols]</c>): counts elements whose derivative <c>TOp.Derivative(x, y)</c>
    /// is below <paramref name="threshold"/>, marks in <paramref name="aliveColumns"/> the columns
    /// with at least one element at or above it, and sums y and y^2 in double lanes (see
    /// <see cref="DoubleLanes"/>; the monitor's activation mean and spread come from the same pass).
    /// </summary>
    public static SaturationStats CountBelow<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, int cols, T threshold, Span<T> aliveColumns)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : IDerivativeOperator
    {
        bool simd = Elementwise.UseSimd;
        int rows = cols == 0 ? 0 : x.Length / cols;
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T ys = ref MemoryMarshal.GetReference(y);
        ref T alive = ref MemoryMarshal.GetReference(aliveColumns);
        var limit = new Vector<T>(threshold);
        if (simd && cols % Vector<T>.Count == 0)
            return CountBelowWholeVectors<T, TOp>(ref xs, ref ys, x.Length, cols, limit, ref alive);

        // Lanes accumulate across rows; a row's tail is added in scalar double as it comes.
        long count = 0;
        double sum = 0, squares = 0;
        Vector<double> sumLo = default, sumHi = default, squaresLo = default, squaresHi = default;
        Vector<int> belowInt = default;
        Vector<long> belowLong = default;
        int width = Vector<T>.Count;
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
                    var lo = DoubleLanes.Lower(vy);
                    sumLo += lo;
                    squaresLo = DoubleLanes.AddSquare(squaresLo, lo);
                    if (DoubleLanes.HasUpper<T>())
                    {
                        var hi = DoubleLanes.Upper(vy);
                        sumHi += hi;
                        squaresHi = DoubleLanes.AddSquare(squaresHi, hi);
                    }

                    // A true comparison lane is all ones, -1 as an integer: subtracting the mask counts.
                    var below = Vector.LessThan(TOp.Derivative(Vector.LoadUnsafe(ref xs, at), vy), limit);
                    if (typeof(T) == typeof(float))
                        belowInt -= below.As<T, int>();
                    else
                        belowLong -= below.As<T, long>();
                    // Flags are 0 or 1: OR-ing their bits is the maximum, without Vector.Max's NaN handling.
                    var flags = Vector.AndNot(Vector<T>.One, below);
                    (Vector.LoadUnsafe(ref alive, (nuint)c) | flags).StoreUnsafe(ref alive, (nuint)c);
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

        sum += Vector.Sum(sumLo + sumHi);
        squares += Vector.Sum(squaresLo + squaresHi);
        count += typeof(T) == typeof(float) ? Vector.Sum(belowInt) : Vector.Sum(belowLong);
        return new SaturationStats(count, sum, squares);
    }

    // Rows of whole vectors (every layer width that is a multiple of 8 floats): one flat loop with
    // the column wrapping, and accumulators that are plain locals so the JIT keeps them in
    // registers (spilled accumulators made the row-by-row loop five times slower than a plain sum).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static SaturationStats CountBelowWholeVectors<T, TOp>(ref T xs, ref T ys, int length, int cols, Vector<T> limit, ref T alive)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : IDerivativeOperator
    {
        int width = Vector<T>.Count;
        Vector<double> sumLo = default, sumHi = default, squaresLo = default, squaresHi = default;
        Vector<int> belowInt = default;
        Vector<long> belowLong = default;
        int c = 0;
        for (int i = 0; i < length; i += width)
        {
            var vy = Vector.LoadUnsafe(ref ys, (nuint)i);
            var lo = DoubleLanes.Lower(vy);
            sumLo += lo;
            squaresLo = DoubleLanes.AddSquare(squaresLo, lo);
            if (DoubleLanes.HasUpper<T>())
            {
                var hi = DoubleLanes.Upper(vy);
                sumHi += hi;
                squaresHi = DoubleLanes.AddSquare(squaresHi, hi);
            }

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

        long count = typeof(T) == typeof(float) ? Vector.Sum(belowInt) : Vector.Sum(belowLong);
        return new SaturationStats(count, Vector.Sum(sumLo + sumHi), Vector.Sum(squaresLo + squaresHi));
    }
}

/// <summary>What one pass over an activation layer found: saturated (sample, unit) pairs, and the sum and sum of squares of its output.</summary>
internal readonly record struct SaturationStats(long Saturated, double Sum, double SumOfSquares);
