using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Activations;

/// <summary>
/// phi(x) = ln(1 + e^x), computed as max(x, 0) + ln(1 + e^-|x|) so it never overflows;
/// phi' = sigmoid(x).
/// </summary>
internal readonly struct Softplus : IActivationFunction, IUnaryOperator
{
    public static string Name => "softplus";

    public static double Gain => 1.0418668355353236;

    public static double MaxDerivative => 1.0;

    public static T Value<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Max(x, T.Zero) + T.LogP1(T.Exp(-T.Abs(x)));

    public static T Invoke<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Value(x);

    public static Vector<T> Invoke<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.Max(x, Vector<T>.Zero) + VectorMath.Log(Vector<T>.One + VectorMath.Exp(-Vector.Abs(x)));

    public static T Derivative<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => Sigmoid.Value(x);

    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => VectorMath.Sigmoid(x);

    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Elementwise.Map<T, Softplus>(x, y);
}
