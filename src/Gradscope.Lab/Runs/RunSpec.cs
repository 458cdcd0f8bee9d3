using Gradscope.Initialization;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Lab.Runs;

/// <summary>
/// Everything that defines a run, typed: the data it reads, the network as a layer list, the
/// initializer, optimizer, schedule, loss, budget, number type and seed. Flags, a model spec file
/// and a model file's metadata are turned into one at the edge; it serializes to versioned JSON
/// (<see cref="RunSpecJson"/>, schema <c>docs/schemas/run-spec.v1.schema.json</c>), so a stored
/// run can be re-run exactly.
/// </summary>
public sealed record RunSpec
{
    /// <summary>The version of the JSON format this build writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Where the data comes from and how it is split and scaled.</summary>
    public required DataSpec Data { get; init; }

    /// <summary>
    /// The network: input features and output units (null until the data says), and the hidden
    /// layers, expanded (flags such as <c>--residual</c> become their layers).
    /// </summary>
    public required ModelSpecDocument Network { get; init; }

    /// <summary>The weight initializer, concrete (never "auto": the edge resolves it).</summary>
    public required Initializer Init { get; init; }

    /// <summary>
    /// The model file whose tensors the run starts from wherever its network keeps them (same
    /// state-dict name and shape; a dense layer with an <c>init</c> of its own is drawn afresh);
    /// null when every tensor starts from <see cref="Init"/>. Its JSON form writes <c>"init":
    /// "from-file"</c> beside <c>"weights"</c>: the weights are the file's, not an initializer's.
    /// </summary>
    public string? Weights { get; init; }

    /// <summary>Optimizer and its hyper-parameters, defaults resolved.</summary>
    public required OptimizerSpec Optimizer { get; init; }

    /// <summary>Learning-rate schedule.</summary>
    public ScheduleSpec Schedule { get; init; } = ScheduleSpec.Constant;

    /// <summary>Loss.</summary>
    public LossKind Loss { get; init; }

    /// <summary>Epochs, batch size and step budget.</summary>
    public BudgetSpec Budget { get; init; } = new();

    /// <summary>Global-norm gradient clipping; null for none.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>Elementwise gradient clipping; null for none.</summary>
    public double? ClipValue { get; init; }

    /// <summary>Number type of weights and arithmetic.</summary>
    public NumberType DType { get; init; }

    /// <summary>The one seed: data, weights, dropout masks and batch order.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>The data a run reads, by name or path, with the generator and split settings.</summary>
public sealed record DataSpec
{
    /// <summary>A built-in set's name (spiral, digits, ...) or a file path.</summary>
    public required string Source { get; init; }

    /// <summary>Rows to generate (synthetic sets) or read at most (IDX); null for the set's default.</summary>
    public int? Samples { get; init; }

    /// <summary>Sequence length T of a sequence task (adding, temporal-order); null for its default (50).</summary>
    public int? SeqLen { get; init; }

    /// <summary>Classes of a synthetic set; null for its default.</summary>
    public int? Classes { get; init; }

    /// <summary>Noise of a synthetic set; null for its default.</summary>
    public double? Noise { get; init; }

    /// <summary>A CSV file's label column; null for the last column.</summary>
    public string? Label { get; init; }

    /// <summary>Folder of IDX files; null for the default search.</summary>
    public string? DataDir { get; init; }

    /// <summary>Fraction of rows held out for testing (a validation split when the set has official test files); 0 for none; null for the set's default (0.2, or 0 with official test files).</summary>
    public double? TestSplit { get; init; }

    /// <summary>Standardize features with the training split's statistics.</summary>
    public bool Standardize { get; init; } = true;
}

/// <summary>An optimizer with every hyper-parameter it uses stated.</summary>
/// <param name="Kind">Which optimizer.</param>
/// <param name="LearningRate">Initial learning rate.</param>
public sealed record OptimizerSpec(OptimizerKind Kind, double LearningRate)
{
    /// <summary>Momentum coefficient (momentum and nesterov only); default 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay; null for the optimizer's default (0, or 0.01 for AdamW).</summary>
    public double? WeightDecay { get; init; }

    /// <summary>The engine's options for this optimizer.</summary>
    public OptimizerOptions ToOptions() => new() { LearningRate = LearningRate, Momentum = Momentum, WeightDecay = WeightDecay };
}

/// <summary>How long a run trains.</summary>
public sealed record BudgetSpec
{
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Rows per mini-batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Stop after this many steps; null for no step limit.</summary>
    public int? MaxSteps { get; init; }
}

/// <summary>The number type a run computes in.</summary>
public enum NumberType
{
    /// <summary>32-bit floats: the fast default.</summary>
    Float32,

    /// <summary>64-bit floats: gradient checks and very deep networks whose gradients underflow float32.</summary>
    Float64,
}
