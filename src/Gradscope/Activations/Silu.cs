using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Activations;

/// <summary>phi(x) = x sigmoid(x) (SiLU, swish); phi' = s (1 + x (1 - s)) with s = sigmoid(x).</summary>
internal readonly struct Silu : IActivationFunction, IUnaryOperator
{
    public static string Name => "silu";

    public static double Gain => 1.676532470331137;

    public static double MaxDerivative => 1.0998393200453496;

    public static T Value<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x * Sigmoid.Value(x);

    public static T Invoke<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Value(x);

    public static Vector<T> Invoke<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => x * VectorMath.Sigmoid(x);

    public static T Derivative<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s = Sigmoid.Value(x);
        return s * (T.One + (x * (T.One - s)));
    }

    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = VectorMath.Sigmoid(x);
        return s * (Vector<T>.One + (x * (Vector<T>.One - s)));
    }

    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Elementwise.Map<T, Silu>(x, y);
}
