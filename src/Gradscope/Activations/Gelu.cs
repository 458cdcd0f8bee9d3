using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Activations;

/// <summary>
/// The exact GELU, phi(x) = x Phi(x) with Phi the standard normal CDF (PyTorch's default, not the
/// tanh approximation); phi' = Phi(x) + x N(x). Erf has no vector form in the BCL, so the SIMD
/// form evaluates lanes with the scalar reference: identical results, scalar speed.
/// </summary>
internal readonly struct Gelu : IActivationFunction, IUnaryOperator
{
    private const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrt2Pi = 0.39894228040143267794;

    public static string Name => "gelu";

    public static double Gain => 1.5335304411955668;

    public static double MaxDerivative => 1.1289041451469775;

    public static T Value<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double v = double.CreateTruncating(x);
        return T.CreateTruncating(v * NormalCdf(v));
    }

    public static T Invoke<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Value(x);

    public static Vector<T> Invoke<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        x.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
            lanes[i] = Value(lanes[i]);
        return new Vector<T>(lanes);
    }

    public static T Derivative<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double v = double.CreateTruncating(x);
        return T.CreateTruncating(NormalCdf(v) + (v * InvSqrt2Pi * Math.Exp(-0.5 * v * v)));
    }

    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        x.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
            lanes[i] = Derivative(lanes[i], T.Zero);
        return new Vector<T>(lanes);
    }

    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Elementwise.Map<T, Gelu>(x, y);

    private static double NormalCdf(double x) => 0.5 * SpecialFunctions.Erfc(-x * InvSqrt2);
}
