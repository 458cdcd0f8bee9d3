using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Activations;

/// <summary>phi(x) = x for x &gt; 0 else 0.01 x (PyTorch's default slope); never exactly flat, so never dead.</summary>
internal readonly struct LeakyRelu : IActivationFunction, IUnaryOperator
{
    /// <summary>The slope for negative inputs.</summary>
    public const double Slope = 0.01;

    public static string Name => "leaky-relu";

    public static double Gain => 1.4141428569978354; // sqrt(2 / (1 + 0.01^2)), PyTorch's calculate_gain

    public static double MaxDerivative => 1.0;

    public static T Value<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x < T.Zero ? x * T.CreateTruncating(Slope) : x;

    public static T Invoke<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Value(x);

    public static Vector<T> Invoke<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.LessThan(x, Vector<T>.Zero), x * VectorMath.Splat<T>(Slope), x);

    public static T Derivative<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? T.One : T.CreateTruncating(Slope);

    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), Vector<T>.One, VectorMath.Splat<T>(Slope));

    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Elementwise.Map<T, LeakyRelu>(x, y);
}
