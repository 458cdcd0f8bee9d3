using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Activations;

/// <summary>
/// phi(x) = scale * (x for x &gt; 0 else alpha (e^x - 1)), the self-normalizing unit of Klambauer
/// et al. (2017) with their constants; phi' = scale for x &gt; 0 else y + scale * alpha.
/// </summary>
internal readonly struct Selu : IActivationFunction, IUnaryOperator
{
    /// <summary>lambda of Klambauer et al.</summary>
    public const double Scale = 1.0507009873554804934193349852946;

    /// <summary>alpha of Klambauer et al.</summary>
    public const double Alpha = 1.6732632423543772848170429916717;

    public static string Name => "selu";

    public static double Gain => 0.75; // PyTorch's calculate_gain('selu')

    public static double MaxDerivative => Scale * Alpha;

    public static T Value<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.CreateTruncating(Scale) * (x <= T.Zero ? T.CreateTruncating(Alpha) * T.ExpM1(x) : x);

    public static T Invoke<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Value(x);

    public static Vector<T> Invoke<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var negative = VectorMath.Splat<T>(Alpha) * (VectorMath.Exp(Vector.Min(x, Vector<T>.Zero)) - Vector<T>.One);
        return VectorMath.Splat<T>(Scale) * Vector.ConditionalSelect(Vector.LessThanOrEqual(x, Vector<T>.Zero), negative, x);
    }

    public static T Derivative<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        x > T.Zero ? T.CreateTruncating(Scale) : y + T.CreateTruncating(Scale * Alpha);

    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), VectorMath.Splat<T>(Scale), y + VectorMath.Splat<T>(Scale * Alpha));

    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Elementwise.Map<T, Selu>(x, y);
}
