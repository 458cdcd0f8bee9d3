using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Gradscope.Tensors;

/// <summary>
/// The few vector operations the GEMM micro-kernel needs, as static members of a struct so one
/// generic kernel is JIT-specialized per instruction set (ImageSharp/TensorPrimitives style).
/// </summary>
internal interface IGemmSimd<TVec, T>
    where TVec : struct
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Lanes of <typeparamref name="T"/> per vector.</summary>
    static abstract int Width { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Broadcast(T value);

    static abstract TVec Load(ref T source, nuint offset);

    static abstract void Store(TVec value, ref T destination, nuint offset);

    /// <summary><c>a * b + addend</c>, fused where the path has FMA.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec addend);

    static abstract TVec Add(TVec a, TVec b);

    /// <summary>The sum of the lanes.</summary>
    static abstract T Sum(TVec value);

    /// <summary>
    /// Sum of squares of <paramref name="rows"/> rows of two vectors each, starting at
    /// <paramref name="c"/> with rows <paramref name="ldc"/> apart (a micro-tile just written),
    /// widened to double before squaring (<see cref="DoubleLanes"/>), in a fixed order.
    /// </summary>
    static abstract double SumOfSquares(ref T c, nint ldc, int rows);
}

/// <summary>AVX-512: 16 floats or 8 doubles per vector, with FMA.</summary>
internal readonly struct GemmSimd512<T> : IGemmSimd<Vector512<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Width => Vector512<T>.Count;

    public static Vector512<T> Zero => Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref T source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();
        return (a * b) + addend;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumOfSquares(ref T c, nint ldc, int rows)
    {
        // Four accumulators (two for doubles): each addition chain grows by one per row.
        Vector512<double> a = Vector512<double>.Zero, b = Vector512<double>.Zero, e = Vector512<double>.Zero, f = Vector512<double>.Zero;
        for (int r = 0; r < rows; r++)
        {
            ref T row = ref Unsafe.Add(ref c, r * ldc);
            var lo = Load(ref row, 0);
            var hi = Load(ref row, (nuint)Width);
            var lo0 = DoubleLanes.Lower(lo);
            var hi0 = DoubleLanes.Lower(hi);
            a = DoubleLanes.AddSquare(a, lo0);
            b = DoubleLanes.AddSquare(b, hi0);
            if (DoubleLanes.HasUpper<T>())
            {
                var lo1 = DoubleLanes.Upper(lo);
                var hi1 = DoubleLanes.Upper(hi);
                e = DoubleLanes.AddSquare(e, lo1);
                f = DoubleLanes.AddSquare(f, hi1);
            }
        }

        return Vector512.Sum((a + b) + (e + f));
    }
}

/// <summary>AVX2 + FMA3: 8 floats or 4 doubles per vector.</summary>
internal readonly struct GemmSimd256<T> : IGemmSimd<Vector256<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Width => Vector256<T>.Count;

    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref T source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();
        return (a * b) + addend;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumOfSquares(ref T c, nint ldc, int rows)
    {
        // Four accumulators (two for doubles): each addition chain grows by one per row.
        Vector256<double> a = Vector256<double>.Zero, b = Vector256<double>.Zero, e = Vector256<double>.Zero, f = Vector256<double>.Zero;
        for (int r = 0; r < rows; r++)
        {
            ref T row = ref Unsafe.Add(ref c, r * ldc);
            var lo = Load(ref row, 0);
            var hi = Load(ref row, (nuint)Width);
            var lo0 = DoubleLanes.Lower(lo);
            var hi0 = DoubleLanes.Lower(hi);
            a = DoubleLanes.AddSquare(a, lo0);
            b = DoubleLanes.AddSquare(b, hi0);
            if (DoubleLanes.HasUpper<T>())
            {
                var lo1 = DoubleLanes.Upper(lo);
                var hi1 = DoubleLanes.Upper(hi);
                e = DoubleLanes.AddSquare(e, lo1);
                f = DoubleLanes.AddSquare(f, hi1);
            }
        }

        return Vector256.Sum((a + b) + (e + f));
    }
}

/// <summary>
/// Portable <see cref="Vector{T}"/> of whatever width the machine has (SSE, NEON), multiply then
/// add: no assumption that FMA exists.
/// </summary>
internal readonly struct GemmSimdPortable<T> : IGemmSimd<Vector<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Width => Vector<T>.Count;

    public static Vector<T> Zero => Vector<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Broadcast(T value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load(ref T source, nuint offset) => Vector.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MultiplyAdd(Vector<T> a, Vector<T> b, Vector<T> addend) => (a * b) + addend;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Add(Vector<T> a, Vector<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector<T> value) => Vector.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumOfSquares(ref T c, nint ldc, int rows)
    {
        // Four accumulators (two for doubles): each addition chain grows by one per row.
        Vector<double> a = Vector<double>.Zero, b = Vector<double>.Zero, e = Vector<double>.Zero, f = Vector<double>.Zero;
        for (int r = 0; r < rows; r++)
        {
            ref T row = ref Unsafe.Add(ref c, r * ldc);
            var lo = Load(ref row, 0);
            var hi = Load(ref row, (nuint)Width);
            var lo0 = DoubleLanes.Lower(lo);
            var hi0 = DoubleLanes.Lower(hi);
            a = DoubleLanes.AddSquare(a, lo0);
            b = DoubleLanes.AddSquare(b, hi0);
            if (DoubleLanes.HasUpper<T>())
            {
                var lo1 = DoubleLanes.Upper(lo);
                var hi1 = DoubleLanes.Upper(hi);
                e = DoubleLanes.AddSquare(e, lo1);
                f = DoubleLanes.AddSquare(f, hi1);
            }
        }

        return Vector.Sum((a + b) + (e + f));
    }
}

/// <summary>One lane: the path when SIMD is off (<see cref="Elementwise.UseSimd"/> false).</summary>
internal readonly struct GemmScalar<T> : IGemmSimd<T, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Width => 1;

    public static T Zero => T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Broadcast(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(ref T source, nuint offset) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T value, ref T destination, nuint offset) => Unsafe.Add(ref destination, offset) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T a, T b, T addend) => (a * b) + addend;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add(T a, T b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumOfSquares(ref T c, nint ldc, int rows)
    {
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            double lo = double.CreateTruncating(Unsafe.Add(ref c, r * ldc));
            double hi = double.CreateTruncating(Unsafe.Add(ref c, (r * ldc) + 1));
            sum += (lo * lo) + (hi * hi);
        }

        return sum;
    }
}
