using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradscope.Tensors;

/// <summary>An elementwise function with a scalar and a SIMD form that must agree.</summary>
internal interface IUnaryOperator
{
    /// <summary>The scalar form: the reference the SIMD form is tested against.</summary>
    static abstract T Invoke<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The SIMD form, lane by lane the same function.</summary>
    static abstract Vector<T> Invoke<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A function of an activation's input and output: its local derivative.</summary>
internal interface IDerivativeOperator
{
    /// <summary>phi'(x), given x and y = phi(x) (sigmoid and tanh use y).</summary>
    static abstract T Derivative<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The SIMD form of <see cref="Derivative{T}(T, T)"/>.</summary>
    static abstract Vector<T> Derivative<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>
/// The one loop driver for elementwise operators: full SIMD vectors, then a scalar tail. Operators
/// never loop themselves. <see cref="UseSimd"/> lets tests run the scalar path on the same machine.
/// </summary>
internal static class Elementwise
{
    [ThreadStatic]
    private static bool? _useSimdOverride;

    /// <summary>
    /// True when the SIMD path runs (hardware acceleration present and not switched off). Setting
    /// it affects only the calling thread, so tests that compare against the scalar path do not
    /// disturb tests running in parallel; GEMM resolves its path on the calling thread too.
    /// </summary>
    public static bool UseSimd
    {
        get => _useSimdOverride ?? Vector.IsHardwareAccelerated;
        set => _useSimdOverride = value;
    }

    /// <summary><c>y[i] = TOp(x[i])</c>. <paramref name="y"/> may alias <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<T, TOp>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : IUnaryOperator
    {
        CheckLengths(x.Length, y.Length);
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T ys = ref MemoryMarshal.GetReference(y);
        int i = 0;
        int width = Vector<T>.Count;
        if (UseSimd && x.Length >= width)
        {
            // A partial last vector is computed as the whole vector ending at the span's end,
            // overlapping the one before (loaded first, as y may alias x). Every element then gets
            // the SIMD form, so a value never depends on where its span starts or ends: a dense
            // layer's activation applied block by block (by one thread or several) equals the
            // activation applied to the whole output at once, to the bit.
            nuint lastStart = (nuint)(x.Length - width);
            var last = Vector.LoadUnsafe(ref xs, lastStart);
            for (; i <= x.Length - width; i += width)
            {
                var v = Vector.LoadUnsafe(ref xs, (nuint)i);
                TOp.Invoke(v).StoreUnsafe(ref ys, (nuint)i);
            }

            TOp.Invoke(last).StoreUnsafe(ref ys, lastStart);
            return;
        }

        for (; i < x.Length; i++)
            Unsafe.Add(ref ys, i) = TOp.Invoke(Unsafe.Add(ref xs, i));
    }

    /// <summary>
    /// The activation backward pass: <c>gradInput[i] = gradOutput[i] * phi'(x[i], y[i])</c>.
    /// <paramref name="gradInput"/> may alias <paramref name="gradOutput"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backprop<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : IDerivativeOperator
    {
        bool simd = UseSimd; // before the loop index is live (see Reductions)
        CheckLengths(x.Length, y.Length);
        CheckLengths(x.Length, gradOutput.Length);
        CheckLengths(x.Length, gradInput.Length);
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T ys = ref MemoryMarshal.GetReference(y);
        ref T gs = ref MemoryMarshal.GetReference(gradOutput);
        ref T ds = ref MemoryMarshal.GetReference(gradInput);
        int i = 0;
        if (simd)
        {
            int width = Vector<T>.Count;
            for (; i <= x.Length - width; i += width)
            {
                var d = TOp.Derivative(Vector.LoadUnsafe(ref xs, (nuint)i), Vector.LoadUnsafe(ref ys, (nuint)i));
                (Vector.LoadUnsafe(ref gs, (nuint)i) * d).StoreUnsafe(ref ds, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
            Unsafe.Add(ref ds, i) = Unsafe.Add(ref gs, i) * TOp.Derivative(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
    }

    /// <summary>
    /// <see cref="Backprop{T, TOp}"/> that also returns the sum of squares of what it wrote, in
    /// double lanes (see <see cref="DoubleLanes"/>), for the monitor's delta_rms without another
    /// pass over memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double BackpropSumOfSquares<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : IDerivativeOperator
    {
        bool simd = UseSimd; // before the loop index is live (see Reductions)
        CheckLengths(x.Length, y.Length);
        CheckLengths(x.Length, gradOutput.Length);
        CheckLengths(x.Length, gradInput.Length);
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T ys = ref MemoryMarshal.GetReference(y);
        ref T gs = ref MemoryMarshal.GetReference(gradOutput);
        ref T ds = ref MemoryMarshal.GetReference(gradInput);
        double squares = 0;
        int i = 0;
        if (simd)
        {
            int width = Vector<T>.Count;
            Vector<double> squaresLo = default, squaresHi = default;
            for (; i <= x.Length - width; i += width)
            {
                var d = TOp.Derivative(Vector.LoadUnsafe(ref xs, (nuint)i), Vector.LoadUnsafe(ref ys, (nuint)i));
                var v = Vector.LoadUnsafe(ref gs, (nuint)i) * d;
                v.StoreUnsafe(ref ds, (nuint)i);
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

        for (; i < x.Length; i++)
        {
            T v = Unsafe.Add(ref gs, i) * TOp.Derivative(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
            Unsafe.Add(ref ds, i) = v;
            double dv = double.CreateTruncating(v);
            squares += dv * dv;
        }

        return squares;
    }

    private static void CheckLengths(int expected, int actual)
    {
        if (expected != actual)
            ThrowLengthMismatch(expected, actual);
    }

    private static void ThrowLengthMismatch(int expected, int actual) =>
        throw new ArgumentException($"Span lengths differ: {expected} and {actual}.");
}
