using System.Text.Json;
using Gradscope.Activations;
using Gradscope.Lab.Runs;
using Gradscope.Optimizers;

namespace Gradscope.Lab.Tests.Runs;

public sealed class RunSpecJsonTests
{
    private const string Schema = "run-spec.v1.schema.json";

    private static readonly string SigmoidSpec =
        """{"layers": [{"type": "dense", "units": 16}, {"type": "activation", "name": "sigmoid"}, {"type": "dense", "units": 16}, {"type": "activation", "name": "sigmoid"}]}""";

    // A network loaded from PyTorch: layers under their module paths, a dense layer with its own init, the output by module.
    private static readonly string TorchSpec =
        """{"layers": [{"type": "dense", "units": 16, "module": "net.0", "init": "he-normal"}, {"type": "batchnorm", "module": "net.1"}, {"type": "activation", "name": "relu", "module": "net.2"}], "output": {"module": "net.4"}}""";

    // A recurrent network on a sequence task: the rnn entry, and the task's length and sample count in the data reference.
    private static readonly string RecurrentSpec =
        """{"layers": [{"type": "lstm", "module": "rnn", "hidden": 32, "sequence": "last", "forget_bias": 1}, {"type": "activation", "name": "tanh"}], "output": {"units": 1, "module": "head"}}""";

    public static TheoryData<TestFlags> Configs() =>
    [
        new TestFlags { Data = "adding", DataOptions = new() { SequenceLength = 50, Count = 512 }, ModelSpec = RecurrentSpec, Loss = "mse", Standardize = false, MaxSteps = 300 },
        new TestFlags { ModelSpec = TorchSpec },
        new TestFlags(),
        new TestFlags { Hidden = [64, 32], Activation = "tanh", Norm = "batch", Residual = true, Dropout = 0.1, Init = "glorot-uniform:gain=1.6667" },
        new TestFlags { ModelSpec = SigmoidSpec, Init = "standard", Optimizer = "adam", Schedule = "cosine:0.0001", Loss = "mse", UseDouble = true },
        new TestFlags { Data = "data.csv", DataOptions = new() { Label = "y" }, Optimizer = "nesterov", Momentum = 0.8, WeightDecay = 1e-4, Schedule = "step:5:0.5", ClipNorm = 1, ClipValue = 0.5, MaxSteps = 100, Seed = 7, TestSplit = 0 },
        new TestFlags { Data = "spiral", DataOptions = new() { Count = 600, Classes = 4, Noise = 0.3 }, Init = "normal:0.05:bias=-1", Loss = "bce", Optimizer = "rmsprop" },
    ];

    [Theory]
    [MemberData(nameof(Configs))]
    public void RunSpec_RoundTripsThroughJson(TestFlags config)
    {
        var spec = config.ToSpec();
        string json = RunSpecJson.Write(spec);
        string again = RunSpecJson.Write(RunSpecJson.Read(json, "spec.json"));
        Assert.Equal(json, again);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void RunSpec_ValidatesAgainstTheSchema(TestFlags config)
    {
        string json = RunSpecJson.Write(config.ToSpec());
        Assert.Empty(SchemaValidation.Errors(Schema, json));
    }

    [Fact]
    public void RunSpec_FromModelFileWeights_SaysFromFileAndRoundTrips()
    {
        var spec = new TestFlags { ModelSpec = SigmoidSpec }.ToSpec() with { Weights = "models/m.safetensors" };
        string json = RunSpecJson.Write(spec);

        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("from-file", doc.RootElement.GetProperty("init").GetString());
        Assert.Equal("models/m.safetensors", doc.RootElement.GetProperty("weights").GetString());
        Assert.Empty(SchemaValidation.Errors(Schema, json));
        var back = RunSpecJson.Read(json, "spec.json");
        Assert.Equal("models/m.safetensors", back.Weights);
        Assert.Equal(json, RunSpecJson.Write(back));
    }

    [Fact]
    public void Read_FromFileWithoutWeights_NamesBothKeys()
    {
        string json = RunSpecJson.Write(new TestFlags { ModelSpec = SigmoidSpec }.ToSpec()).Replace("\"glorot-uniform\"", "\"from-file\"", StringComparison.Ordinal);
        var ex = Assert.Throws<GradscopeException>(() => RunSpecJson.Read(json, "runs/x.json"));
        Assert.Equal("runs/x.json: init: is \"from-file\" but \"weights\" names no model file.", ex.Message);
    }

    [Fact]
    public void Read_FillsDefaultsForOptionalKeys()
    {
        var spec = RunSpecJson.Read("""
            {"format": "gradscope.run", "version": 1, "data": {"source": "moons"},
             "network": {"layers": [{"type": "dense", "units": 4}]}, "init": "he-normal",
             "optimizer": {"name": "sgd", "lr": 0.5}}
            """);
        Assert.Equal("moons", spec.Data.Source);
        Assert.Null(spec.Data.TestSplit);
        Assert.Equal(30, spec.Budget.Epochs);
        Assert.Equal(0.5, spec.Optimizer.LearningRate);
        Assert.Equal(ScheduleKind.Constant, spec.Schedule.Kind);
        Assert.Equal(1, spec.Seed);
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "{", "not valid JSON" },
        { "[]", "must be an object" },
        { """{"format": "other", "version": 1}""", "format: must be \"gradscope.run\"" },
        { Replace("\"version\": 1", "\"version\": 2"), "version: is 2, written by a newer Gradscope" },
        { Replace("\"seed\": 1", "\"seed\": 1, \"colour\": 3"), "colour: unknown key" },
        { Replace("\"seed\": 1", "\"seed\": \"one\""), "seed: must be a whole number" },
        { Replace("\"lr\": 0.1", "\"lr\": -1"), "optimizer.lr: must be a number" },
        { Replace("\"lr\": 0.1", "\"lr\": 1e400"), "optimizer.lr" },
        { Replace("\"name\": \"sgd\"", "\"name\": \"lbfgs\""), "optimizer.name: Unknown optimizer 'lbfgs'" },
        { Replace("\"init\": \"he-normal\"", "\"init\": \"frobnicate\""), "init: Unknown initializer 'frobnicate'" },
        { Replace("\"loss\": \"cross-entropy\"", "\"loss\": \"hinge\""), "loss: Unknown loss 'hinge'" },
        { Replace("\"dtype\": \"float32\"", "\"dtype\": \"float16\""), "dtype: is \"float16\"" },
        { Replace("\"epochs\": 30", "\"epochs\": 0"), "budget.epochs: must be a whole number from 1" },
        { Replace("\"test_split\": null", "\"test_split\": 1"), "data.test_split" },
        { Replace("\"source\": \"spiral\"", "\"source\": \"\""), "data.source: must not be empty" },
        { Replace("\"units\": 32", "\"units\": 0"), "network: layers[0]: \"units\" must be a whole number" },
        { Replace("\"name\": \"constant\"", "\"name\": \"linear\""), "schedule.name: is \"linear\"" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Read_RejectsMalformedSpecsNamingFileAndKey(string json, string expected)
    {
        var ex = Assert.Throws<GradscopeException>(() => RunSpecJson.Read(json, "runs/x.json"));
        Assert.StartsWith("runs/x.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_ListsEveryActivationTheEngineAccepts()
    {
        using var doc = JsonDocument.Parse(SchemaValidation.SchemaText(Schema));
        var names = new List<string>();
        var activation = doc.RootElement.GetProperty("$defs").GetProperty("layer").GetProperty("oneOf")[2];
        foreach (var name in activation.GetProperty("properties").GetProperty("name").GetProperty("enum").EnumerateArray())
            names.Add(name.GetString()!);
        Assert.Equal(new List<string>(Activation.Names), names);
    }

    [Fact]
    public void Schema_RejectsWhatTheReaderRejects()
    {
        Assert.NotEmpty(SchemaValidation.Errors(Schema, Replace("\"seed\": 1", "\"seed\": 1, \"colour\": 3")));
        Assert.NotEmpty(SchemaValidation.Errors(Schema, Replace("\"units\": 32", "\"units\": 0")));
    }

    private static string Replace(string from, string to)
    {
        string json = RunSpecJson.Write(new TestFlags { Hidden = [32] }.ToSpec());
        Assert.Contains(from, json, StringComparison.Ordinal);
        return json.Replace(from, to, StringComparison.Ordinal);
    }
}
