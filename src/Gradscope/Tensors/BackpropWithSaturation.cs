using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradscope.Tensors;

/// <summary>
/// The activation backward pass and the monitor's saturation statistics in one pass: the backward
/// pass already loads x and y and computes phi'(x, y), which is all that
/// <see cref="Reductions.CountBelow{T, TOp}"/> needs, so a monitored step reads the activation once.
/// </summary>
internal static class BackpropWithSaturation
{
    /// <summary>
    /// Writes <c>gradInput = gradOutput * phi'(x, y)</c> and returns the sum of squares of what it
    /// wrote; <paramref name="stats"/> and <paramref name="aliveColumns"/> are what
    /// <see cref="Reductions.CountBelow{T, TOp}"/> computes for the same x and y.
    /// </summary>
    public static double Run<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput, int cols, T threshold, Span<T> aliveColumns, out SaturationStats stats)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : IDerivativeOperator
    {
        if (!Elementwise.UseSimd || cols == 0 || cols % Vector<T>.Count != 0 || x.Length != gradInput.Length || x.Length != gradOutput.Length || x.Length != y.Length)
        {
            double squares = Elementwise.BackpropSumOfSquares<T, TOp>(x, y, gradOutput, gradInput);
            stats = Reductions.CountBelow<T, TOp>(x, y, cols, threshold, aliveColumns);
            return squares;
        }

        return WholeVectors<T, TOp>(x, y, gradOutput, gradInput, cols, threshold, aliveColumns, out stats);
    }

    // Rows of whole vectors. Sums go to double lanes (see DoubleLanes); the accumulators are plain
    // locals so the JIT keeps them in registers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double WholeVectors<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput, int cols, T threshold, Span<T> aliveColumns, out SaturationStats stats)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : IDerivativeOperator
    {
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T ys = ref MemoryMarshal.GetReference(y);
        ref T gs = ref MemoryMarshal.GetReference(gradOutput);
        ref T ds = ref MemoryMarshal.GetReference(gradInput);
        ref T alive = ref MemoryMarshal.GetReference(aliveColumns);
        var limit = new Vector<T>(threshold);
        int width = Vector<T>.Count, length = x.Length;
        Vector<double> sumLo = default, sumHi = default, squaresLo = default, squaresHi = default, deltaLo = default, deltaHi = default;
        Vector<int> belowInt = default;
        Vector<long> belowLong = default;
        int c = 0;
        for (int i = 0; i < length; i += width)
        {
            var vy = Vector.LoadUnsafe(ref ys, (nuint)i);
            var derivative = TOp.Derivative(Vector.LoadUnsafe(ref xs, (nuint)i), vy);
            var delta = Vector.LoadUnsafe(ref gs, (nuint)i) * derivative;
            delta.StoreUnsafe(ref ds, (nuint)i);
            var yLo = DoubleLanes.Lower(vy);
            var dLo = DoubleLanes.Lower(delta);
            sumLo += yLo;
            squaresLo = DoubleLanes.AddSquare(squaresLo, yLo);
            deltaLo = DoubleLanes.AddSquare(deltaLo, dLo);
            if (DoubleLanes.HasUpper<T>())
            {
                var yHi = DoubleLanes.Upper(vy);
                var dHi = DoubleLanes.Upper(delta);
                sumHi += yHi;
                squaresHi = DoubleLanes.AddSquare(squaresHi, yHi);
                deltaHi = DoubleLanes.AddSquare(deltaHi, dHi);
            }

            var below = Vector.LessThan(derivative, limit);
            if (typeof(T) == typeof(float))
                belowInt -= below.As<T, int>();
            else
                belowLong -= below.As<T, long>();
            (Vector.LoadUnsafe(ref alive, (nuint)c) | Vector.AndNot(Vector<T>.One, below)).StoreUnsafe(ref alive, (nuint)c);
            c += width;
            if (c == cols)
                c = 0;
        }

        long count = typeof(T) == typeof(float) ? Vector.Sum(belowInt) : Vector.Sum(belowLong);
        stats = new SaturationStats(count, Vector.Sum(sumLo + sumHi), Vector.Sum(squaresLo + squaresHi));
        return Vector.Sum(deltaLo + deltaHi);
    }
}
