using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Activations;

/// <summary>phi(x) = x for x &gt; 0 else e^x - 1 (alpha = 1, Clevert et al. 2015); phi' = y + 1 for x &lt;= 0.</summary>
internal readonly struct Elu : IActivationFunction, IUnaryOperator
{
    public static string Name => "elu";

    public static double Gain => 1.2451983007007372;

    public static double MaxDerivative => 1.0;

    public static T Value<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x <= T.Zero ? T.ExpM1(x) : x;

    public static T Invoke<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Value(x);

    public static Vector<T> Invoke<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.LessThanOrEqual(x, Vector<T>.Zero), VectorMath.Exp(Vector.Min(x, Vector<T>.Zero)) - Vector<T>.One, x);

    public static T Derivative<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? T.One : y + T.One;

    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), Vector<T>.One, y + Vector<T>.One);

    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Elementwise.Map<T, Elu>(x, y);
}
