using System.Globalization;
using System.Numerics;
using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Layers;

namespace Gradscope.Training;

/// <summary>
/// One entry of a network's hidden layout, before it is built: the tree that the command-line flags
/// and a JSON model spec (<see cref="ModelSpecJson"/>) both describe. Widths are implicit: every
/// entry but <see cref="DenseSpec"/> keeps the width it receives.
/// </summary>
public abstract record LayerSpec
{
    private readonly string? _module;

    private protected LayerSpec()
    {
    }

    /// <summary>The entry's <c>"type"</c> in a JSON model spec.</summary>
    public abstract string Type { get; }

    /// <summary>
    /// The layer's module path in a state dict (<c>net.0</c>, <c>encoder.fc1</c>), whole from the
    /// root, or null to be named by position (see <see cref="LayerTree"/>). A residual block's path
    /// is the prefix of its <c>body</c> and <c>proj</c>.
    /// </summary>
    public string? Module
    {
        get => _module;
        init => _module = value is null ? null : ModulePath.Check(value);
    }

    /// <summary>Short form for a network's description (<c>dense32</c>, <c>relu</c>, <c>res(...)</c>).</summary>
    public abstract string Describe();

    internal abstract int OutputWidth(int inputWidth);

    internal abstract ILayer<T> Create<T>(int inputWidth)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Builds <paramref name="layers"/> in order starting from <paramref name="inputWidth"/> features.</summary>
    internal static List<ILayer<T>> CreateAll<T>(IReadOnlyList<LayerSpec> layers, int inputWidth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var built = new List<ILayer<T>>(layers.Count + 1);
        int width = inputWidth;
        foreach (var spec in layers)
        {
            built.Add(spec.Create<T>(width));
            width = spec.OutputWidth(width);
        }

        return built;
    }

    /// <summary>The module paths of <paramref name="layers"/>, null where a layer has none.</summary>
    internal static List<string?> ModulesOf(IReadOnlyList<LayerSpec> layers)
    {
        var modules = new List<string?>(layers.Count + 1);
        foreach (var spec in layers)
            modules.Add(spec.Module);
        return modules;
    }

    /// <summary>The width after <paramref name="layers"/>, given <paramref name="inputWidth"/>.</summary>
    internal static int OutputWidth(IReadOnlyList<LayerSpec> layers, int inputWidth)
    {
        int width = inputWidth;
        foreach (var spec in layers)
            width = spec.OutputWidth(width);
        return width;
    }
}

/// <summary>
/// A fully connected layer of <see cref="Units"/> outputs (<see cref="Dense{T}"/>), initialized with
/// <see cref="Init"/> when given, else with the network's initializer.
/// </summary>
public sealed record DenseSpec : LayerSpec
{
    /// <summary>Creates the entry; <paramref name="units"/> is at least 1.</summary>
    public DenseSpec(int units)
    {
        if (units < 1)
            throw new GradscopeException($"A dense layer needs at least 1 unit; got {units}.");
        Units = units;
    }

    /// <summary>Outputs.</summary>
    public int Units { get; }

    /// <summary>This layer's own initializer, or null for the network's.</summary>
    public Initializer? Init { get; init; }

    /// <inheritdoc/>
    public override string Type => "dense";

    /// <inheritdoc/>
    public override string Describe() => "dense" + Units.ToString(CultureInfo.InvariantCulture);

    internal override int OutputWidth(int inputWidth) => Units;

    internal override ILayer<T> Create<T>(int inputWidth) => new Dense<T>(inputWidth, Units);
}

/// <summary>A normalization layer: <see cref="BatchNorm{T}"/> or <see cref="LayerNorm{T}"/>.</summary>
public sealed record NormSpec : LayerSpec
{
    /// <summary>Creates the entry; <paramref name="kind"/> is not <see cref="NormKind.None"/>.</summary>
    public NormSpec(NormKind kind)
    {
        if (kind is not (NormKind.Batch or NormKind.Layer))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "A norm layer is batch or layer normalization.");
        Kind = kind;
    }

    /// <summary>Which normalization.</summary>
    public NormKind Kind { get; }

    /// <inheritdoc/>
    public override string Type => Kind == NormKind.Batch ? "batchnorm" : "layernorm";

    /// <inheritdoc/>
    public override string Describe() => Type;

    internal override int OutputWidth(int inputWidth) => inputWidth;

    internal override ILayer<T> Create<T>(int inputWidth) =>
        Kind == NormKind.Batch ? new BatchNorm<T>(inputWidth) : new LayerNorm<T>(inputWidth);
}

/// <summary>An elementwise activation layer.</summary>
public sealed record ActivationSpec(Activation Activation) : LayerSpec
{
    /// <inheritdoc/>
    public override string Type => "activation";

    /// <inheritdoc/>
    public override string Describe() => Activation.Name;

    internal override int OutputWidth(int inputWidth) => inputWidth;

    internal override ILayer<T> Create<T>(int inputWidth) => Activation.CreateLayer<T>(inputWidth);
}

/// <summary>A <see cref="Dropout{T}"/> layer; its seed is set when the network is built.</summary>
public sealed record DropoutSpec : LayerSpec
{
    /// <summary>Creates the entry; <paramref name="probability"/> is in [0, 1).</summary>
    public DropoutSpec(double probability)
    {
        if (!(probability is >= 0 and < 1))
            throw new GradscopeException($"The dropout probability must be in [0, 1); got {probability}.");
        Probability = probability;
    }

    /// <summary>Probability of zeroing an element in training.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public override string Type => "dropout";

    /// <inheritdoc/>
    public override string Describe() => "dropout" + Probability.ToString("G4", CultureInfo.InvariantCulture);

    internal override int OutputWidth(int inputWidth) => inputWidth;

    internal override ILayer<T> Create<T>(int inputWidth) => new Dropout<T>(inputWidth, Probability);
}

/// <summary>
/// A <see cref="Residual{T}"/> block: <c>F(x) + x</c> with F built from <see cref="Layers"/>, and a
/// projection dense layer on the skip path exactly when F changes the width.
/// </summary>
public sealed record ResidualSpec : LayerSpec
{
    /// <summary>Creates the entry; <paramref name="layers"/> (F) is not empty.</summary>
    public ResidualSpec(IReadOnlyList<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
            throw new GradscopeException("A residual block needs at least one layer in its body.");
        Layers = [.. layers];
    }

    /// <summary>F, in order.</summary>
    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <inheritdoc/>
    public override string Type => "residual";

    /// <inheritdoc/>
    public override string Describe()
    {
        var parts = new string[Layers.Count];
        for (int i = 0; i < parts.Length; i++)
            parts[i] = Layers[i].Describe();
        return "res(" + string.Join("-", parts) + ")";
    }

    internal override int OutputWidth(int inputWidth) => OutputWidth(Layers, inputWidth);

    internal override ILayer<T> Create<T>(int inputWidth)
    {
        var body = new Sequential<T>(CreateAll<T>(Layers, inputWidth), ModulesOf(Layers));
        var projection = body.OutputSize == inputWidth ? null : new Dense<T>(inputWidth, body.OutputSize);
        return new Residual<T>(body, projection);
    }
}
