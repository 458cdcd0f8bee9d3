using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Activations;

/// <summary>phi(x) = clamp(x, -1, 1); phi' = 1 inside (-1, 1), 0 outside (as PyTorch's hardtanh).</summary>
internal readonly struct HardTanh : IActivationFunction, IUnaryOperator
{
    public static string Name => "hard-tanh";

    public static double Gain => 1.3920361409705146;

    public static double MaxDerivative => 1.0;

    public static T Value<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Clamp(x, -T.One, T.One);

    public static T Invoke<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Value(x);

    public static Vector<T> Invoke<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector.Min(Vector.Max(x, -Vector<T>.One), Vector<T>.One);

    public static T Derivative<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => x > -T.One && x < T.One ? T.One : T.Zero;

    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), Vector<T>.One), Vector<T>.One, Vector<T>.Zero);

    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Elementwise.Map<T, HardTanh>(x, y);
}
