using Gradscope.Activations;
using Gradscope.Data;
using Gradscope.Initialization;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Lab.Runs;

/// <summary>
/// A run as <c>gradscope train</c>'s flags name it (names and texts, "auto" init), before it
/// becomes a <see cref="RunSpec"/> at the command's edge (<see cref="ToSpec"/>): the only place the
/// names and texts of the flags are parsed. Nothing past the edge takes this record; tests that
/// describe many small runs tersely write them this way too. Not sealed, so a test may add a
/// conversion of its own.
/// </summary>
public record RunFlags
{
    /// <summary>Data set name or file path: CSV, .npz or .safetensors (see <see cref="Gradscope.Data.Catalog.DatasetCatalog"/>).</summary>
    public string Data { get; init; } = "spiral";

    /// <summary>Generator and loader settings; its seed is replaced by <see cref="Seed"/>.</summary>
    public DataOptions DataOptions { get; init; } = DataOptions.Default;

    /// <summary>
    /// Fraction of the rows held out; 0 for none. Null (the default) holds out 0.2 as a test split, or
    /// nothing for a set with official test files, which are the test set then; a fraction given for
    /// such a set holds out a validation split (see <see cref="PreparedRun{T}.Create(RunSpec, Dataset?, string, bool)"/>).
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
    public Activation ParsedActivation => Gradscope.Activations.Activation.Parse(Activation);

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
                : ModelSpecJson.Parse(ModelSpec).FirstActivation ?? Gradscope.Activations.Activation.Parse("identity");
            return Initializer.Parse(activation.IsReluFamily ? "he-normal" : activation.Name == "selu" ? "lecun-normal" : "glorot-uniform");
        }
    }

    /// <summary>The normalization, parsed.</summary>
    public NormKind ParsedNorm => NetworkSpec.ParseNorm(Norm);

    /// <summary>
    /// The run these flags describe: the flags' layout expanded into layers (or the model spec's
    /// layers), "auto" init resolved to the activation's initializer, the optimizer's default
    /// learning rate stated.
    /// </summary>
    /// <exception cref="GradscopeException">A setting does not parse; the message names it.</exception>
    public RunSpec ToSpec()
    {
        var optimizer = OptimizerKinds.Parse(Optimizer);
        return new RunSpec
        {
            Data = new DataSpec
            {
                Source = Data,
                Samples = DataOptions.Count,
                SeqLen = DataOptions.SequenceLength,
                Classes = DataOptions.Classes,
                Noise = DataOptions.Noise,
                Label = DataOptions.Label,
                DataDir = DataOptions.DataDir,
                TestSplit = TestSplit,
                Standardize = Standardize,
            },
            Network = Network(),
            Init = ParsedInitializer,
            Optimizer = new OptimizerSpec(optimizer, LearningRate ?? RunSpecs.DefaultLearningRate(optimizer))
            {
                Momentum = Momentum ?? 0.9,
                WeightDecay = WeightDecay,
            },
            Schedule = ScheduleSpec.Parse(Schedule),
            Loss = LossKinds.Parse(Loss),
            Budget = new BudgetSpec { Epochs = Epochs, BatchSize = BatchSize, MaxSteps = MaxSteps },
            ClipNorm = ClipNorm,
            ClipValue = ClipValue,
            DType = UseDouble ? NumberType.Float64 : NumberType.Float32,
            Seed = Seed,
        };
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

    private ModelSpecDocument Network()
    {
        if (ModelSpec is not null)
            return ModelSpecJson.Parse(ModelSpec);

        // The flag layouts do not depend on the input width; 1 stands in for the data's.
        var flags = new NetworkSpec(1, Hidden, 1, ParsedActivation)
        {
            Norm = ParsedNorm,
            Residual = Residual ? ResidualStyle.PreActivation : ResidualStyle.None,
            Dropout = Dropout,
        };
        return new ModelSpecDocument(null, flags.Layout(), null);
    }
}
