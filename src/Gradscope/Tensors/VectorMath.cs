using System.Numerics;

namespace Gradscope.Tensors;

/// <summary>
/// Generic-T wrappers over the BCL's float and double vector math. The type tests are JIT-time
/// constants, so each instantiation compiles to one direct call.
/// </summary>
internal static class VectorMath
{
    /// <summary>Lane-wise e^x.</summary>
    public static Vector<T> Exp<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Vector.Exp(x.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector.Exp(x.As<T, double>()).As<double, T>();
        throw new NotSupportedException($"{typeof(T).Name} is not supported; use float or double.");
    }

    /// <summary>Lane-wise natural logarithm.</summary>
    public static Vector<T> Log<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Vector.Log(x.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector.Log(x.As<T, double>()).As<double, T>();
        throw new NotSupportedException($"{typeof(T).Name} is not supported; use float or double.");
    }

    /// <summary>Lane-wise logistic sigmoid, 1 / (1 + e^-x); exactly 0 or 1 where e^-x overflows or underflows.</summary>
    public static Vector<T> Sigmoid<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector<T>.One / (Vector<T>.One + Exp(-x));

    /// <summary>A vector with every lane set to <paramref name="value"/> converted to T.</summary>
    public static Vector<T> Splat<T>(double value)
        where T : unmanaged, IFloatingPointIeee754<T> => new(T.CreateTruncating(value));
}
