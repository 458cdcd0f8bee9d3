using Gradscope.Data;
using Gradscope.Initialization;
using Gradscope.Lab.Runs;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Lab.Tests;

/// <summary>
/// A run written as <c>train</c>'s flags (names and texts, "auto" init), for tests that describe
/// many small runs tersely; it becomes a <see cref="RunSpec"/> where one is expected, as the CLI's
/// flags do at its edge.
/// </summary>
public sealed record TestFlags
{
    public string Data { get; init; } = "spiral";

    public DataOptions DataOptions { get; init; } = DataOptions.Default;

    public double? TestSplit { get; init; }

    public bool Standardize { get; init; } = true;

    public IReadOnlyList<int> Hidden { get; init; } = [32, 32, 32, 32];

    public string Activation { get; init; } = "relu";

    public string Norm { get; init; } = "none";

    public bool Residual { get; init; }

    public double Dropout { get; init; }

    /// <summary>A JSON model spec; replaces the layout flags when set.</summary>
    public string? ModelSpec { get; init; }

    public string Init { get; init; } = "auto";

    public string Optimizer { get; init; } = "sgd";

    public double? LearningRate { get; init; }

    public double? Momentum { get; init; }

    public double? WeightDecay { get; init; }

    public string Schedule { get; init; } = "constant";

    public string Loss { get; init; } = "cross-entropy";

    public int Epochs { get; init; } = 30;

    public int BatchSize { get; init; } = 64;

    public int? MaxSteps { get; init; }

    public double? ClipNorm { get; init; }

    public double? ClipValue { get; init; }

    public int Seed { get; init; } = 1;

    public bool UseDouble { get; init; }

    public static implicit operator RunSpec(TestFlags flags) => flags.ToSpec();

    /// <summary>The run these flags describe.</summary>
    public RunSpec ToSpec()
    {
        var network = ModelSpec is not null
            ? ModelSpecJson.Parse(ModelSpec)
            : new ModelSpecDocument(null, new NetworkSpec(1, Hidden, 1, Activations.Activation.Parse(Activation))
            {
                Norm = NetworkSpec.ParseNorm(Norm),
                Residual = Residual ? ResidualStyle.PreActivation : ResidualStyle.None,
                Dropout = Dropout,
            }.Layout(), null);
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
            Network = network,
            Init = Init == "auto" ? RunSpecs.RecommendedInit(network) : Initializer.Parse(Init),
            Optimizer = new OptimizerSpec(optimizer, LearningRate ?? RunSpecs.DefaultLearningRate(optimizer)) { Momentum = Momentum ?? 0.9, WeightDecay = WeightDecay },
            Schedule = ScheduleSpec.Parse(Schedule),
            Loss = LossKinds.Parse(Loss),
            Budget = new BudgetSpec { Epochs = Epochs, BatchSize = BatchSize, MaxSteps = MaxSteps },
            ClipNorm = ClipNorm,
            ClipValue = ClipValue,
            DType = UseDouble ? NumberType.Float64 : NumberType.Float32,
            Seed = Seed,
        };
    }
}
