using Gradscope.Activations;

namespace Gradscope.Theory;

/// <summary>How the random weights of a measured network are drawn.</summary>
public enum WeightDistribution
{
    /// <summary>i.i.d. N(0, sigma_w^2 / n_in).</summary>
    Gaussian,

    /// <summary>sigma_w times a Haar-random orthogonal matrix: same second moment, all singular values sigma_w.</summary>
    Orthogonal,
}

/// <summary>How the Jacobian's singular values are obtained.</summary>
public enum JacobianMethod
{
    /// <summary>Exact up to <see cref="SignalPropagationConfig.ExactWidthLimit"/>, iterative above.</summary>
    Auto,

    /// <summary>Build J explicitly and take all its singular values (N^3 per layer and per sweep).</summary>
    Exact,

    /// <summary>Hutchinson probes for the moments, Lanczos for the extremes.</summary>
    Iterative,

    /// <summary>Skip the Jacobian.</summary>
    None,
}

/// <summary>A measurement of signal propagation through random networks (<see cref="SignalPropagationMeasurement"/>).</summary>
public sealed record SignalPropagationConfig
{
    /// <summary>The activation phi.</summary>
    public required Activation Activation { get; init; }

    /// <summary>sigma_w^2: weights have variance sigma_w^2 / n_in.</summary>
    public required double WeightVariance { get; init; }

    /// <summary>sigma_b^2.</summary>
    public required double BiasVariance { get; init; }

    /// <summary>L, the number of Dense + activation blocks (at least 2).</summary>
    public int Depth { get; init; } = 20;

    /// <summary>N, the width of every layer and of the input.</summary>
    public int Width { get; init; } = 256;

    /// <summary>Number of independent networks.</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>The first seed; network s uses <c>Seed + s</c>.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Gaussian or orthogonal weights.</summary>
    public WeightDistribution Weights { get; init; } = WeightDistribution.Gaussian;

    /// <summary>Inputs per network for the gradient ratios.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>How to get the Jacobian's spectrum.</summary>
    public JacobianMethod Jacobian { get; init; } = JacobianMethod.Auto;

    /// <summary>Largest width <see cref="JacobianMethod.Auto"/> treats exactly.</summary>
    public int ExactWidthLimit { get; init; } = 128;

    /// <summary>
    /// Inputs per network whose Jacobians are measured (the first ones of the batch, at most
    /// <see cref="BatchSize"/>): J changes with the input through D_l, and tr(J^T J) / N fluctuates by
    /// about sqrt(L / N) from one input to the next, so the mean square needs several.
    /// </summary>
    public int JacobianInputs { get; init; } = 4;

    /// <summary>Hutchinson probes per input.</summary>
    public int Probes { get; init; } = 16;

    /// <summary>Lanczos steps per network (at most the width).</summary>
    public int LanczosSteps { get; init; } = 60;

    /// <summary>
    /// Variance of the pre-activations h_0 the inputs x_0 = phi(h_0) come from; null picks q* (so
    /// every layer starts at the fixed point), 1e-6 when q* = 0, 1 when degenerate, 1e4 when the
    /// length map diverges (near the linear asymptote the prediction describes).
    /// </summary>
    public double? InputLength { get; init; }
}
