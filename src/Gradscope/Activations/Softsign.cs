using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Activations;

/// <summary>phi(x) = x / (1 + |x|); phi' = 1 / (1 + |x|)^2, a polynomially (not exponentially) saturating tanh.</summary>
internal readonly struct Softsign : IActivationFunction, IUnaryOperator
{
    public static string Name => "softsign";

    public static double Gain => 2.3375333631085993;

    public static double MaxDerivative => 1.0;

    public static T Value<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x / (T.One + T.Abs(x));

    public static T Invoke<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Value(x);

    public static Vector<T> Invoke<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => x / (Vector<T>.One + Vector.Abs(x));

    public static T Derivative<T>(T x, T y)
    where T : unmanaged, IFloatingPointIeee754<T>
    {
        T d = T.One + T.Abs(x);
        return T.One / (d * d);
    }

    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = Vector<T>.One + Vector.Abs(x);
        return Vector<T>.One / (d * d);
    }

    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Elementwise.Map<T, Softsign>(x, y);
}
