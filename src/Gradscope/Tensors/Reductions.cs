using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradscope.Tensors;

/// <summary>
/// Vectorized reductions for the monitor, the probes and gradient clipping. Every sum and sum of
/// squares follows <see cref="DoubleLanes"/>: values are widened to double before they are squared
/// or added, and accumulate in double lanes, so a finite float never makes a non-finite sum and a
/// long array loses no precision to its length. The order of operations is fixed (lanes, then the
/// lanes' sum, then the scalar tail), so results are deterministic; the scalar path (SIMD off) adds
/// in index order. Each kernel reads <see cref="Elementwise.UseSimd"/> (a call) before its loop
/// index is live: across the call, the index had no register left and made a round trip through
/// the stack every iteration.
/// </summary>
internal static partial class Reductions
{
    /// <summary>Sum and sum of squares of <paramref name="values"/>, in double. NaN or infinity propagate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Sum, double SumOfSquares) SumAndSquares<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool simd = Elementwise.UseSimd;
        double sum = 0, squares = 0;
        int i = 0;
        if (simd)
        {
            int width = Vector<T>.Count;
            ref T start = ref MemoryMarshal.GetReference(values);
            Vector<double> sumLo = default, sumHi = default, squaresLo = default, squaresHi = default;
            for (; i <= values.Length - width; i += width)
            {
                var v = Vector.LoadUnsafe(ref start, (nuint)i);
                var lo = DoubleLanes.Lower(v);
                sumLo += lo;
                squaresLo = DoubleLanes.AddSquare(squaresLo, lo);
                if (DoubleLanes.HasUpper<T>())
                {
                    var hi = DoubleLanes.Upper(v);
                    sumHi += hi;
                    squaresHi = DoubleLanes.AddSquare(squaresHi, hi);
                }
            }

            sum = Vector.Sum(sumLo + sumHi);
            squares = Vector.Sum(squaresLo + squaresHi);
        }

        for (; i < values.Length; i++)
        {
            double d = double.CreateTruncating(values[i]);
            sum += d;
            squares += d * d;
        }

        return (sum, squares);
    }

    /// <summary>
    /// Sum of squares in double (see <see cref="SumAndSquares{T}"/>): finite for any finite float
    /// span; for doubles, infinite once the sum passes double's largest value (elements above
    /// 1.3e154). The squared L2 norm of every reported norm and of gradient clipping.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SumOfSquares<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool simd = Elementwise.UseSimd;
        double squares = 0;
        int i = 0;
        if (simd)
        {
            int width = Vector<T>.Count;
            ref T start = ref MemoryMarshal.GetReference(values);
            Vector<double> squaresLo = default, squaresHi = default;
            for (; i <= values.Length - width; i += width)
            {
                var v = Vector.LoadUnsafe(ref start, (nuint)i);
                var lo = DoubleLanes.Lower(v);
                squaresLo = DoubleLanes.AddSquare(squaresLo, lo);
                if (DoubleLanes.HasUpper<T>())
                {
                    var hi = DoubleLanes.Upper(v);
                    squaresHi = DoubleLanes.AddSquare(squaresHi, hi);
                }
            }

            squares = Vector.Sum(squaresLo + squaresHi);
        }

        for (; i < values.Length; i++)
        {
            double d = double.CreateTruncating(values[i]);
            squares += d * d;
        }

        return squares;
    }

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
    /// True when no element is NaN or infinite. <paramref name="squares"/> is the span's sum of
    /// squares when the caller has it (NaN when not): a finite one proves every element finite
    /// without a pass, as squares are never negative; an infinite one may come from large finite
    /// doubles, so then each element is tested.
    /// </summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> values, double squares = double.NaN)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (double.IsFinite(squares))
            return true;
        foreach (var v in values)
        {
            if (!T.IsFinite(v))
                return false;
        }

        return true;
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
        bool simd = Elementwise.UseSimd;
        double squares = 0;
        int i = 0;
        if (simd)
        {
            int width = Vector<T>.Count;
            ref T ra = ref MemoryMarshal.GetReference(a);
            ref T rb = ref MemoryMarshal.GetReference(b);
            ref T rs = ref MemoryMarshal.GetReference(sum);
            Vector<double> squaresLo = default, squaresHi = default;
            for (; i <= a.Length - width; i += width)
            {
                var v = Vector.LoadUnsafe(ref ra, (nuint)i) + Vector.LoadUnsafe(ref rb, (nuint)i);
                v.StoreUnsafe(ref rs, (nuint)i);
                var lo = DoubleLanes.Lower(v);
                squaresLo = DoubleLanes.AddSquare(squaresLo, lo);
                if (DoubleLanes.HasUpper<T>())
                {
                    var hi = DoubleLanes.Upper(v);
                    squaresHi = DoubleLanes.AddSquare(squaresHi, hi);
                }
            }

            squares = Vector.Sum(squaresLo + squaresHi);
        }

        for (; i < a.Length; i++)
        {
            sum[i] = a[i] + b[i];
            double v = double.CreateTruncating(sum[i]);
            squares += v * v;
        }

        return squares;
    }

    /// <summary>Squared L2 distance between two spans of equal length, in double (see <see cref="SquaresAndDistance{T}"/>).</summary>
    public static double SquaredDistance<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> => SquaresAndDistance(a, b).SquaredDistance;

    /// <summary>
    /// In one pass: the sums of squares of <paramref name="a"/> and of <paramref name="b"/> and the
    /// squared L2 distance between them, in double (the monitor's weight norms after and before a
    /// step, and the update's size). Differences are taken in double too, so two large floats of
    /// opposite signs do not overflow.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double SquaresA, double SquaresB, double SquaredDistance) SquaresAndDistance<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"Lengths differ: {a.Length} and {b.Length}.");
        bool simd = Elementwise.UseSimd;
        double squaresA = 0, squaresB = 0, distance = 0;
        int i = 0;
        if (simd)
        {
            int width = Vector<T>.Count;
            ref T ra = ref MemoryMarshal.GetReference(a);
            ref T rb = ref MemoryMarshal.GetReference(b);
            Vector<double> aLo = default, aHi = default, bLo = default, bHi = default, dLo = default, dHi = default;
            for (; i <= a.Length - width; i += width)
            {
                var va = Vector.LoadUnsafe(ref ra, (nuint)i);
                var vb = Vector.LoadUnsafe(ref rb, (nuint)i);
                var lowA = DoubleLanes.Lower(va);
                var lowB = DoubleLanes.Lower(vb);
                aLo = DoubleLanes.AddSquare(aLo, lowA);
                bLo = DoubleLanes.AddSquare(bLo, lowB);
                dLo = DoubleLanes.AddSquare(dLo, lowA - lowB);
                if (DoubleLanes.HasUpper<T>())
                {
                    var highA = DoubleLanes.Upper(va);
                    var highB = DoubleLanes.Upper(vb);
                    aHi = DoubleLanes.AddSquare(aHi, highA);
                    bHi = DoubleLanes.AddSquare(bHi, highB);
                    dHi = DoubleLanes.AddSquare(dHi, highA - highB);
                }
            }

            squaresA = Vector.Sum(aLo + aHi);
            squaresB = Vector.Sum(bLo + bHi);
            distance = Vector.Sum(dLo + dHi);
        }

        for (; i < a.Length; i++)
        {
            double va = double.CreateTruncating(a[i]);
            double vb = double.CreateTruncating(b[i]);
            squaresA += va * va;
            squaresB += vb * vb;
            distance += (va - vb) * (va - vb);
        }

        return (squaresA, squaresB, distance);
    }
}
