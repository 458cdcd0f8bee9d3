using Gradscope.Activations;
using Gradscope.Data;
using Gradscope.Initialization;

namespace Gradscope.Training;

/// <summary>
/// Everything that defines a training run, as plain values: data, architecture, initialization,
/// optimizer and budget. Remedies rewrite it (<c>config with { Activation = "relu" }</c>), so they
/// compose, and the same config with the same seed reproduces the same run.
/// </summary>
public sealed record RunConfig
{
    /// <summary>Data set name or file path: CSV, .npz or .safetensors (see <see cref="Data.Catalog.DatasetCatalog"/>).</summary>
    public string Data { get; init; } = "spiral";

    /// <summary>Generator and loader settings; its seed is replaced by <see cref="Seed"/>.</summary>
    public DataOptions DataOptions { get; init; } = DataOptions.Default;

    /// <summary>
    /// Fraction of the rows held out; 0 for none. Null (the default) holds out 0.2 as a test split, or
    /// nothing for a set with official test files, which are the test set then; a fraction given for
    /// such a set holds out a validation split (see <see cref="PreparedRun{T}.Create(RunConfig, Dataset?)"/>).
    /// </summary>
    public double? TestSplit { get; init; }

    /// <summary>Standardize features with the training split's statistics.</summary>
    public bool Standardize { get; init; } = true;

    /// <summary>Hidden layer widths, first to last.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [32, 32, 32, 32];

    /// <summary>Hidden activation name.</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>Normalization after each hidden dense layer: <c>none</c>, <c>batch</c> or <c>layer</c>.</summary>
    public string Norm { get; init; } = "none";

    /// <summary>Pre-activation residual blocks of two hidden dense layers (see <see cref="NetworkSpec"/>).</summary>
    public bool Residual { get; init; }

    /// <summary>Dropout probability after each hidden activation; 0 for none.</summary>
    public double Dropout { get; init; }

    /// <summary>
    /// A JSON model spec (the text, see <see cref="ModelSpecJson"/>); when set it defines the hidden
    /// layers instead of <see cref="Hidden"/>, <see cref="Activation"/>, <see cref="Norm"/>,
    /// <see cref="Residual"/> and <see cref="Dropout"/>.
    /// </summary>
    public string? ModelSpec { get; init; }

    /// <summary>Where <see cref="ModelSpec"/> came from (a file name), to name it in messages.</summary>
    public string ModelSpecSource { get; init; } = "model spec";

    /// <summary>Initializer spec, or <c>auto</c> for the activation's recommended one.</summary>
    public string Init { get; init; } = "auto";

    /// <summary>Optimizer name.</summary>
    public string Optimizer { get; init; } = "sgd";

    /// <summary>Learning rate; null for the optimizer's default.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Momentum; null for the default.</summary>
    public double? Momentum { get; init; }

    /// <summary>Weight decay; null for none (0.01 for AdamW).</summary>
    public double? WeightDecay { get; init; }

    /// <summary>Learning-rate schedule spec.</summary>
    public string Schedule { get; init; } = "constant";

    /// <summary>Loss name.</summary>
    public string Loss { get; init; } = "cross-entropy";

    /// <summary>Epochs.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Optional step budget.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Global-norm gradient clipping.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>Elementwise gradient clipping.</summary>
    public double? ClipValue { get; init; }

    /// <summary>The one seed: data, weights, batch order.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Train in float64 instead of float32.</summary>
    public bool UseDouble { get; init; }

    /// <summary>The activation, parsed.</summary>
    public Activation ParsedActivation => Activations.Activation.Parse(Activation);

    /// <summary>
    /// The initializer, parsed; <c>auto</c> picks He for the ReLU family, LeCun for SELU and Glorot
    /// (uniform) otherwise, the pairings of He et al. (2015), Klambauer et al. (2017) and Glorot and
    /// Bengio (2010).
    /// </summary>
    public Initializer ParsedInitializer
    {
        get
        {
            if (!Init.Equals("auto", StringComparison.OrdinalIgnoreCase))
                return Initializer.Parse(Init);
            var activation = ModelSpec is null ? ParsedActivation
                : ModelSpecJson.Parse(ModelSpec).FirstActivation ?? Activations.Activation.Parse("identity");
            return Initializer.Parse(activation.IsReluFamily ? "he-normal" : activation.Name == "selu" ? "lecun-normal" : "glorot-uniform");
        }
    }

    /// <summary>The normalization, parsed.</summary>
    public NormKind ParsedNorm => NetworkSpec.ParseNorm(Norm);

    /// <summary>The architecture for data of <paramref name="inputSize"/> features and <paramref name="outputSize"/> classes.</summary>
    /// <exception cref="GradscopeException">A setting is invalid or the model spec does not fit the data.</exception>
    public NetworkSpec CreateSpec(int inputSize, int outputSize)
    {
        if (ModelSpec is not null)
            return NetworkSpec.FromJson(ModelSpec, inputSize, outputSize, ModelSpecSource);
        return new NetworkSpec(inputSize, Hidden, outputSize, ParsedActivation)
        {
            Norm = ParsedNorm,
            Residual = Residual ? ResidualStyle.PreActivation : ResidualStyle.None,
            Dropout = Dropout,
        };
    }

    /// <summary>The hidden layout this configuration builds: the model spec's layers, or what the flags expand to.</summary>
    /// <exception cref="GradscopeException">A setting is invalid.</exception>
    public IReadOnlyList<LayerSpec> HiddenLayout() => ModelSpec is not null
        ? ModelSpecJson.Parse(ModelSpec).Layers
        : new NetworkSpec(1, Hidden, 1, ParsedActivation)
        {
            Norm = ParsedNorm,
            Residual = Residual ? ResidualStyle.PreActivation : ResidualStyle.None,
            Dropout = Dropout,
        }.Layout();

    /// <summary>
    /// This configuration with <paramref name="layers"/> as its hidden layout (a model spec keeping
    /// the spec's input and output sizes); the flag settings of the layout are reset, since the spec
    /// replaces them.
    /// </summary>
    public RunConfig WithLayers(IReadOnlyList<LayerSpec> layers)
    {
        var doc = ModelSpec is null ? null : ModelSpecJson.Parse(ModelSpec);
        var widths = NetworkSpec.FromLayers(1, layers, 1).HiddenSizes;
        return this with { ModelSpec = ModelSpecJson.Write(doc?.Input, layers, doc?.Output, outputModule: doc?.OutputModule), Hidden = widths, Norm = "none", Residual = false, Dropout = 0 };
    }

    /// <summary>Hidden sizes as <c>10x32</c> when uniform, else <c>64,32</c>.</summary>
    public string DescribeLayers()
    {
        if (Hidden.Count == 0)
            return "none";
        bool uniform = true;
        foreach (int size in Hidden)
            uniform &= size == Hidden[0];
        return uniform ? $"{Hidden.Count}x{Hidden[0]}" : string.Join(",", Hidden);
    }
}
