using Gradscope.Activations;

namespace Gradscope.Theory;

/// <summary>
/// What the mean-field integrals need to know about an activation: phi, phi' and where phi or
/// phi' has a kink (the points where a Gaussian quadrature must split).
/// </summary>
internal sealed class ActivationProfile
{
    private ActivationProfile(string name, Func<double, double> value, Func<double, double> derivative, double[] kinks, double hermiteMaxLength)
    {
        Name = name;
        Value = value;
        Derivative = derivative;
        Kinks = kinks;
        HermiteMaxLength = hermiteMaxLength;
    }

    public string Name { get; }

    public Func<double, double> Value { get; }

    public Func<double, double> Derivative { get; }

    /// <summary>Points where phi or phi' is not smooth; empty for analytic activations.</summary>
    public double[] Kinks { get; }

    /// <summary>
    /// Largest variance q at which <see cref="GaussHermite.Default"/> is within 1e-10 on phi^2 and
    /// phi'^2 (measured against the piecewise rule, see the tests); 0 where it is never used.
    /// </summary>
    public double HermiteMaxLength { get; }

    public static ActivationProfile For(Activation activation)
    {
        double[] kinks = KinksOf(activation.Name);
        double hermiteMaxLength = kinks.Length > 0 ? 0 : HermiteMaxLengthOf(activation.Name);
        return new(activation.Name, activation.Value, activation.Derivative, kinks, hermiteMaxLength);
    }

    /// <summary>
    /// The activation's behaviour as q goes to infinity: phi(sqrt(q) z) / sqrt(q) tends to
    /// a z+ + b z- with a = phi'(+inf), b = phi'(-inf). Positively homogeneous, so the mean-field
    /// quantities of this profile do not depend on q.
    /// </summary>
    public static ActivationProfile LinearAsymptote(Activation activation)
    {
        double a = activation.Derivative(1e6), b = activation.Derivative(-1e6);
        return new($"{activation.Name} (linear asymptote)", x => x > 0 ? a * x : b * x, x => x > 0 ? a : b, [0.0], 0);
    }

    // Gauss-Hermite converges geometrically at a rate set by the distance of phi's nearest complex
    // singularity from the real axis, measured in z = x / sqrt(q): tanh has poles at x = i pi / 2,
    // sigmoid, SiLU and softplus at i pi; the identity is a polynomial and GELU is entire, but
    // GELU's growth off the axis slows convergence past q = 3.
    private static double HermiteMaxLengthOf(string name) => name switch
    {
        "identity" => double.PositiveInfinity,
        "tanh" => 1.0,
        "gelu" => 3.0,
        _ => 4.0,
    };

    // phi' jumps at 0 for the ReLU family and SELU, phi'' jumps at 0 for ELU and softsign, and
    // hard-tanh bends at +-1. Unknown activations get a split at 0, which costs nothing when smooth.
    private static double[] KinksOf(string name) => name switch
    {
        "identity" or "sigmoid" or "tanh" or "gelu" or "silu" or "softplus" => [],
        "hard-tanh" => [-1.0, 1.0],
        _ => [0.0],
    };
}
