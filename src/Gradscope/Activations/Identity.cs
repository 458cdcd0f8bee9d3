using System.Numerics;

namespace Gradscope.Activations;

/// <summary>phi(x) = x: a linear network, the baseline of signal-propagation theory.</summary>
internal readonly struct Identity : IActivationFunction
{
    public static string Name => "identity";

    public static double Gain => 1.0;

    public static double MaxDerivative => 1.0;

    public static T Value<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x;

    public static T Derivative<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => T.One;

    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector<T>.One;

    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => x.CopyTo(y);
}
