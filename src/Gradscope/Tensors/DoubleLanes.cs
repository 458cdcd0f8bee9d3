using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Gradscope.Tensors;

/// <summary>
/// The one definition of every sum of squares the monitor reports: each value is widened to double
/// before it is squared, and the squares are summed in double lanes. A float of 1e20 adds 1e40, not
/// infinity (float's largest is 3.4e38, so squares of floats above 1.8e19 overflowed float lanes
/// and finite values passed for non-finite), and a sum over a long array keeps double's precision.
/// A float vector widens into two double vectors (<see cref="Lower{T}(Vector{T})"/> and
/// <see cref="Upper{T}(Vector{T})"/>); a double vector is its own lower half and has no upper one
/// (<see cref="HasUpper{T}"/> is a JIT-time constant, so the double loops carry no dead work).
/// Since squares are never negative, a finite sum proves every value finite; only for doubles can
/// a sum overflow (values above 1.3e154), and then the values themselves must be tested.
/// </summary>
internal static class DoubleLanes
{
    /// <summary>True when a vector of T widens into two vectors of double (float), false when into one (double).</summary>
    public static bool HasUpper<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => typeof(T) == typeof(float);

    /// <summary>The first half of a float vector's lanes as doubles, or a double vector as it is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Lower<T>(Vector<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Vector.WidenLower(v.As<T, float>());
        if (typeof(T) == typeof(double))
            return v.As<T, double>();
        throw Unsupported<T>();
    }

    /// <summary>The second half of a float vector's lanes as doubles (call only when <see cref="HasUpper{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Upper<T>(Vector<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Vector.WidenUpper(v.As<T, float>());
        throw Unsupported<T>();
    }

    /// <inheritdoc cref="Lower{T}(Vector{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Lower<T>(Vector256<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Vector256.WidenLower(v.AsSingle());
        if (typeof(T) == typeof(double))
            return v.AsDouble();
        throw Unsupported<T>();
    }

    /// <inheritdoc cref="Upper{T}(Vector{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Upper<T>(Vector256<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Vector256.WidenUpper(v.AsSingle());
        throw Unsupported<T>();
    }

    /// <inheritdoc cref="Lower{T}(Vector{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Lower<T>(Vector512<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Vector512.WidenLower(v.AsSingle());
        if (typeof(T) == typeof(double))
            return v.AsDouble();
        throw Unsupported<T>();
    }

    /// <inheritdoc cref="Upper{T}(Vector{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Upper<T>(Vector512<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Vector512.WidenUpper(v.AsSingle());
        throw Unsupported<T>();
    }

    /// <summary>
    /// <c>sum + v * v</c> lane by lane: the one way a widened value's square is added. Not fused:
    /// these loops wait on their accumulators, and an FMA's latency is longer than an addition's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> AddSquare(Vector<double> sum, Vector<double> v) => sum + (v * v);

    /// <inheritdoc cref="AddSquare(Vector{double}, Vector{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> AddSquare(Vector256<double> sum, Vector256<double> v) => sum + (v * v);

    /// <inheritdoc cref="AddSquare(Vector{double}, Vector{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> AddSquare(Vector512<double> sum, Vector512<double> v) => sum + (v * v);

    private static NotSupportedException Unsupported<T>() =>
        new($"{typeof(T).Name} is not supported; use float or double.");
}
