namespace Gradscope.Activations;

/// <summary>
/// A run-time handle on one activation struct, for code that picks the activation by name (the
/// command line, model files, diagnosis, theory). Layers it creates are specialized on the struct,
/// so the hot loops still inline.
/// </summary>
public abstract class Activation
{
    // Only this assembly's Activation<TAct> implements it (Accept is internal).
    private protected Activation()
    {
    }

    /// <summary>Fraction of the maximum derivative below which a unit counts as saturated (DESIGN section 2).</summary>
    public const double SaturationFraction = 0.01;

    private static readonly Activation[] Registered =
    [
        new Activation<Identity>(), new Activation<Sigmoid>(), new Activation<Tanh>(), new Activation<HardTanh>(),
        new Activation<Softsign>(), new Activation<Relu>(), new Activation<LeakyRelu>(), new Activation<Elu>(),
        new Activation<Selu>(), new Activation<Gelu>(), new Activation<Silu>(), new Activation<Softplus>(),
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["linear"] = "identity",
        ["none"] = "identity",
        ["logistic"] = "sigmoid",
        ["hardtanh"] = "hard-tanh",
        ["leakyrelu"] = "leaky-relu",
        ["leaky_relu"] = "leaky-relu",
        ["swish"] = "silu",
    };

    /// <summary>Every built-in activation, in a stable order.</summary>
    public static IReadOnlyList<Activation> All => Registered;

    /// <summary>Canonical name (<c>tanh</c>, <c>leaky-relu</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Recommended initialization gain (see <see cref="IActivationFunction.Gain"/>).</summary>
    public abstract double Gain { get; }

    /// <summary>Supremum of |phi'|.</summary>
    public abstract double MaxDerivative { get; }

    /// <summary>True for ReLU and leaky ReLU, whose inactive side has a derivative of exactly 0 or a constant.</summary>
    public bool IsReluFamily => Name is "relu" or "leaky-relu";

    /// <summary>True for the squashing activations whose derivative goes to 0 on both sides.</summary>
    public bool IsSquashing => Name is "sigmoid" or "tanh" or "hard-tanh" or "softsign";

    /// <summary>phi(x) in double.</summary>
    public abstract double Value(double x);

    /// <summary>phi'(x) in double.</summary>
    public abstract double Derivative(double x);

    /// <summary>The saturation test: phi'(x) below 1% of its maximum (exactly 0 for ReLU's flat side).</summary>
    public bool IsSaturated(double x) => Derivative(x) < SaturationFraction * MaxDerivative;

    /// <summary>
    /// Hands this activation's struct type to <paramref name="visitor"/>, so code above this
    /// namespace (layers) can build what is specialized on it without a switch over the names.
    /// </summary>
    internal abstract TResult Accept<TResult>(IActivationVisitor<TResult> visitor);

    /// <summary>The activation named <paramref name="name"/> (case-insensitive, common aliases accepted).</summary>
    /// <exception cref="GradscopeException">The name is unknown; the message lists the valid names.</exception>
    public static Activation Parse(string name)
    {
        if (TryParse(name, out var activation))
            return activation;
        throw new GradscopeException($"Unknown activation '{name}'. Valid activations: {string.Join(", ", Names)}.");
    }

    /// <summary>Looks an activation up by name or alias.</summary>
    public static bool TryParse(string? name, out Activation activation)
    {
        string key = name?.Trim() ?? string.Empty;
        if (Aliases.TryGetValue(key, out var canonical))
            key = canonical;
        foreach (var candidate in Registered)
        {
            if (string.Equals(candidate.Name, key, StringComparison.OrdinalIgnoreCase))
            {
                activation = candidate;
                return true;
            }
        }

        activation = null!;
        return false;
    }

    /// <summary>The canonical names of all activations.</summary>
    public static IEnumerable<string> Names
    {
        get
        {
            foreach (var activation in Registered)
                yield return activation.Name;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>The run-time handle specialized on one activation struct.</summary>
internal sealed class Activation<TAct> : Activation
    where TAct : struct, IActivationFunction
{
    public override string Name => TAct.Name;

    public override double Gain => TAct.Gain;

    public override double MaxDerivative => TAct.MaxDerivative;

    public override double Value(double x) => TAct.Value(x);

    public override double Derivative(double x) => TAct.Derivative(x, TAct.Value(x));

    internal override TResult Accept<TResult>(IActivationVisitor<TResult> visitor) => visitor.Visit<TAct>(this);
}
