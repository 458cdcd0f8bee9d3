namespace Gradscope.Lab.Experiments;

/// <summary>One row of the paper's Table 1: an activation with an initialization, and the paper's MNIST test error.</summary>
/// <param name="Activation">The hidden activation: <c>sigmoid</c>, <c>tanh</c> or <c>softsign</c>.</param>
/// <param name="Init">The initializer spec: <c>standard</c> (U[-1/sqrt(n_in), 1/sqrt(n_in)]) or <c>glorot-uniform</c> (the normalized init).</param>
/// <param name="PaperTestError">The paper's MNIST test error (Table 1) as a fraction; null where the paper has none.</param>
internal sealed record Glorot2010Configuration(string Activation, string Init, double? PaperTestError)
{
    /// <summary>The initializer spec of the standard initialization.</summary>
    public const string StandardInit = "standard";

    /// <summary>The initializer spec of the normalized initialization.</summary>
    public const string NormalizedInit = "glorot-uniform";

    /// <summary>The configurations, in table order: Table 1's five rows, plus sigmoid normalized (no Table 1 entry).</summary>
    public static IReadOnlyList<Glorot2010Configuration> All { get; } =
    [
        new("sigmoid", StandardInit, 0.0221),
        new("sigmoid", NormalizedInit, null),
        new("tanh", StandardInit, 0.0176),
        new("tanh", NormalizedInit, 0.0164),
        new("softsign", StandardInit, 0.0164),
        new("softsign", NormalizedInit, 0.0172),
    ];

    /// <summary>True for the normalized initialization.</summary>
    public bool IsNormalized => Init == NormalizedInit;

    /// <summary>"standard" or "normalized", as the paper names them.</summary>
    public string InitLabel => IsNormalized ? "normalized" : "standard";

    /// <summary>"tanh normalized", "sigmoid standard": the row's name.</summary>
    public string Label => $"{Activation} {InitLabel}";
}
