using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Gradscope.Tensors;

namespace Gradscope.Activations;

/// <summary>phi(x) = tanh x; phi' = 1 - y^2 &lt;= 1, exactly 0 once tanh rounds to +-1.</summary>
internal readonly struct Tanh : IActivationFunction
{
    public static string Name => "tanh";

    public static double Gain => 5.0 / 3.0;

    public static double MaxDerivative => 1.0;

    public static T Value<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Tanh(x);

    public static T Derivative<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => T.One - (y * y);

    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector<T>.One - (y * y);

    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && FloatSquashing.IsSupported)
            FloatSquashing.Tanh(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
        else
            TensorPrimitives.Tanh(x, y);
    }
}
