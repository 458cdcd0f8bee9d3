using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Gradscope.Tensors;

namespace Gradscope.Activations;

/// <summary>
/// phi(x) = 1 / (1 + e^-x); phi' = y (1 - y) &lt;= 1/4, the factor that makes deep sigmoid
/// networks' gradients vanish. At +-300 the output is exactly 1 or 0 in float, the derivative
/// exactly 0: never NaN.
/// </summary>
internal readonly struct Sigmoid : IActivationFunction
{
    public static string Name => "sigmoid";

    public static double Gain => 1.0;

    public static double MaxDerivative => 0.25;

    public static T Value<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));

    public static T Derivative<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => y * (T.One - y);

    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => y * (Vector<T>.One - y);

    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && FloatSquashing.IsSupported)
            FloatSquashing.Sigmoid(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
        else if (!x.IsEmpty) // TensorPrimitives.Sigmoid rejects empty spans
            TensorPrimitives.Sigmoid(x, y);
    }
}
