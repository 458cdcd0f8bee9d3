using System.Text.Json;
using Gradscope.Initialization;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Lab.Runs;

public static partial class RunSpecJson
{

    /// <summary>Reads a run description; <paramref name="source"/> (a file name) names it in messages.</summary>
    /// <exception cref="GradscopeException">Not valid JSON, not a run description, a newer version, or a value out of range; the message names the source and the key.</exception>
    public static RunSpec Read(string json, string source = "run spec")
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = JsonFields.Parse(json, source);
        return Read(doc.RootElement, source);
    }

    /// <summary>Reads a run description from a parsed element (for example the <c>"spec"</c> of a larger document).</summary>
    public static RunSpec Read(JsonElement element, string source)
    {
        var root = new JsonFields(element, source, "",
            "format", "version", "data", "network", "init", "weights", "optimizer", "schedule", "loss", "budget", "clip", "dtype", "seed");
        if (root.OptionalText("format") != Format)
            throw root.Fail("format", $"must be \"{Format}\": this is not a Gradscope run description");
        int version = root.Integer("version", 1, int.MaxValue, 0);
        if (version > RunSpec.FormatVersion)
            throw root.Fail("version", $"is {version}, written by a newer Gradscope; this one reads version {RunSpec.FormatVersion}");
        var budget = root.Has("budget") ? ReadBudget(root.Object("budget", "epochs", "batch_size", "max_steps")) : new BudgetSpec();
        var clip = root.Has("clip") ? root.Object("clip", "norm", "value") : (JsonFields?)null;
        var network = ReadNetwork(root);
        var (init, weights) = ReadInit(root, network);
        return new RunSpec
        {
            Data = ReadData(root.Object("data", "source", "samples", "seq_len", "classes", "noise", "label", "data_dir", "test_split", "standardize")),
            Network = network,
            Init = init,
            Weights = weights,
            Optimizer = ReadOptimizer(root.Object("optimizer", "name", "lr", "momentum", "weight_decay")),
            Schedule = root.Has("schedule") ? ReadSchedule(root.Object("schedule", "name", "step_size", "gamma", "min_lr")) : ScheduleSpec.Constant,
            Loss = root.Has("loss") ? Parsed(root, "loss", LossKinds.Parse) : LossKind.CrossEntropy,
            Budget = budget,
            ClipNorm = clip?.OptionalNumber("norm", double.Epsilon, double.MaxValue),
            ClipValue = clip?.OptionalNumber("value", double.Epsilon, double.MaxValue),
            DType = ReadDType(root),
            Seed = root.Integer("seed", int.MinValue, int.MaxValue, 1),
        };
    }

    private static DataSpec ReadData(JsonFields data) => new()
    {
        Source = NonEmpty(data, "source"),
        Samples = data.OptionalInteger("samples", 1, int.MaxValue),
        SeqLen = data.OptionalInteger("seq_len", 1, int.MaxValue),
        Classes = data.OptionalInteger("classes", 2, 1_000_000),
        Noise = data.OptionalNumber("noise", 0, double.MaxValue),
        Label = data.OptionalText("label"),
        DataDir = data.OptionalText("data_dir"),
        TestSplit = data.OptionalNumber("test_split", 0, 0.999999),
        Standardize = data.Boolean("standardize", true),
    };

    private static ModelSpecDocument ReadNetwork(JsonFields root) =>
        ModelSpecJson.Parse(root.Required("network").GetRawText(), root.Source + ": network");

    // "from-file" goes with "weights"; tensors the file lacks then get the activation's initializer.
    private static (Initializer Init, string? Weights) ReadInit(JsonFields root, ModelSpecDocument network)
    {
        string? weights = root.OptionalText("weights");
        if (root.Text("init") != FromFile)
            return (Parsed(root, "init", Initializer.Parse), weights);
        if (weights is null || weights.Trim().Length == 0)
            throw root.Fail("init", $"is \"{FromFile}\" but \"weights\" names no model file");
        var fallback = RunSpecs.RecommendedInit(network);
        return (fallback, weights);
    }

    private static OptimizerSpec ReadOptimizer(JsonFields optimizer)
    {
        var kind = Parsed(optimizer, "name", OptimizerKinds.Parse);
        double lr = optimizer.Has("lr") ? optimizer.Number("lr", double.Epsilon, double.MaxValue, 0) : throw optimizer.Fail("lr", "is required");
        return new OptimizerSpec(kind, lr)
        {
            Momentum = optimizer.Number("momentum", 0, 0.999999, 0.9),
            WeightDecay = optimizer.OptionalNumber("weight_decay", 0, double.MaxValue),
        };
    }

    private static ScheduleSpec ReadSchedule(JsonFields schedule) => schedule.Text("name") switch
    {
        "constant" => ScheduleSpec.Constant,
        "step" => new ScheduleSpec
        {
            Kind = ScheduleKind.Step,
            StepSize = schedule.Integer("step_size", 1, int.MaxValue, 10),
            Gamma = schedule.Number("gamma", 0, double.MaxValue, 0.1),
        },
        "cosine" => new ScheduleSpec { Kind = ScheduleKind.Cosine, MinimumLearningRate = schedule.Number("min_lr", 0, double.MaxValue, 0) },
        var other => throw schedule.Fail("name", $"is \"{other}\"; expected constant, step or cosine"),
    };

    private static BudgetSpec ReadBudget(JsonFields budget) => new()
    {
        Epochs = budget.Integer("epochs", 1, int.MaxValue, 30),
        BatchSize = budget.Integer("batch_size", 1, int.MaxValue, 64),
        MaxSteps = budget.OptionalInteger("max_steps", 1, int.MaxValue),
    };

    private static NumberType ReadDType(JsonFields root) => root.OptionalText("dtype") switch
    {
        null or "float32" => NumberType.Float32,
        "float64" => NumberType.Float64,
        var other => throw root.Fail("dtype", $"is \"{other}\"; expected float32 or float64"),
    };

    private static string NonEmpty(JsonFields fields, string key)
    {
        string text = fields.Text(key);
        return text.Trim().Length > 0 ? text : throw fields.Fail(key, "must not be empty");
    }

    // The engine's parsers give the message; the key and file are put in front of it.
    private static TValue Parsed<TValue>(JsonFields fields, string key, Func<string, TValue> parse)
    {
        try
        {
            return parse(fields.Text(key));
        }
        catch (GradscopeException ex) when (!ex.Message.StartsWith(fields.Source, StringComparison.Ordinal))
        {
            throw fields.Fail(key, ex.Message.TrimEnd('.'));
        }
    }
}
