using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Lab.Runs;

/// <summary>
/// The run description's JSON form (schema: <c>docs/schemas/run-spec.v1.schema.json</c>):
/// <code>
/// {
///   "format": "gradscope.run", "version": 1,
///   "data": {"source": "spiral", "samples": null, "classes": null, "noise": null, "label": null,
///            "data_dir": null, "test_split": 0.2, "standardize": true},
///   "network": {"input": null, "layers": [{"type": "dense", "units": 32}, ...], "output": null},
///   "init": "he-normal", "weights": null,
///   "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9, "weight_decay": null},
///   "schedule": {"name": "constant"},
///   "loss": "cross-entropy",
///   "budget": {"epochs": 30, "batch_size": 64, "max_steps": null},
///   "clip": {"norm": null, "value": null},
///   "dtype": "float32", "seed": 1
/// }
/// </code>
/// <c>network</c> is a model spec (<see cref="ModelSpecJson"/>); <c>init</c> uses the
/// <c>--init</c> syntax, or is <c>"from-file"</c> when <c>weights</c> names the model file the run
/// starts from; <c>schedule</c> is <c>{"name": "step", "step_size": 10, "gamma": 0.1}</c> or
/// <c>{"name": "cosine", "min_lr": 0}</c> for the others. Every key is written; on reading, optional
/// keys take their defaults, unknown keys are errors, and a newer version is refused.
/// </summary>
public static partial class RunSpecJson
{
    /// <summary>The value of the top-level <c>"format"</c> key.</summary>
    public const string Format = "gradscope.run";

    /// <summary>The <c>"init"</c> of a run whose weights come from a model file (<c>"weights"</c>).</summary>
    public const string FromFile = "from-file";

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The spec as indented JSON.</summary>
    public static string Write(RunSpec spec)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
            Write(writer, spec);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the spec as one JSON object (for embedding as <c>"spec"</c> in a larger document).</summary>
    public static void Write(Utf8JsonWriter writer, RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(spec);
        writer.WriteStartObject();
        writer.WriteString("format", Format);
        writer.WriteNumber("version", RunSpec.FormatVersion);
        WriteData(writer, spec.Data);
        writer.WritePropertyName("network");

        // Re-read so the network is laid out like the rest (indented when the writer indents).
        using (var network = JsonDocument.Parse(ModelSpecJson.Write(spec.Network.Input, spec.Network.Layers, spec.Network.Output, outputModule: spec.Network.OutputModule)))
            network.RootElement.WriteTo(writer);
        writer.WriteString("init", spec.Weights is null ? spec.Init.ToSpec() : FromFile);
        Nullable(writer, "weights", spec.Weights);
        WriteOptimizer(writer, spec.Optimizer);
        WriteSchedule(writer, spec.Schedule);
        writer.WriteString("loss", spec.Loss.Name());
        writer.WriteStartObject("budget");
        writer.WriteNumber("epochs", spec.Budget.Epochs);
        writer.WriteNumber("batch_size", spec.Budget.BatchSize);
        Nullable(writer, "max_steps", spec.Budget.MaxSteps);
        writer.WriteEndObject();
        writer.WriteStartObject("clip");
        Nullable(writer, "norm", spec.ClipNorm);
        Nullable(writer, "value", spec.ClipValue);
        writer.WriteEndObject();
        writer.WriteString("dtype", spec.DType == NumberType.Float64 ? "float64" : "float32");
        writer.WriteNumber("seed", spec.Seed);
        writer.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter writer, DataSpec data)
    {
        writer.WriteStartObject("data");
        writer.WriteString("source", data.Source);
        Nullable(writer, "samples", data.Samples);

        // Only a sequence task has a length; other runs' descriptions stay as they were.
        if (data.SeqLen is { } seqLen)
            writer.WriteNumber("seq_len", seqLen);
        Nullable(writer, "classes", data.Classes);
        Nullable(writer, "noise", data.Noise);
        Nullable(writer, "label", data.Label);
        Nullable(writer, "data_dir", data.DataDir);
        Nullable(writer, "test_split", data.TestSplit);
        writer.WriteBoolean("standardize", data.Standardize);
        writer.WriteEndObject();
    }

    private static void WriteOptimizer(Utf8JsonWriter writer, OptimizerSpec optimizer)
    {
        writer.WriteStartObject("optimizer");
        writer.WriteString("name", optimizer.Kind.Name());
        writer.WriteNumber("lr", optimizer.LearningRate);
        writer.WriteNumber("momentum", optimizer.Momentum);
        Nullable(writer, "weight_decay", optimizer.WeightDecay);
        writer.WriteEndObject();
    }

    private static void WriteSchedule(Utf8JsonWriter writer, ScheduleSpec schedule)
    {
        writer.WriteStartObject("schedule");
        writer.WriteString("name", schedule.Kind.ToString().ToLowerInvariant());
        if (schedule.Kind == ScheduleKind.Step)
        {
            writer.WriteNumber("step_size", schedule.StepSize);
            writer.WriteNumber("gamma", schedule.Gamma);
        }
        else if (schedule.Kind == ScheduleKind.Cosine)
        {
            writer.WriteNumber("min_lr", schedule.MinimumLearningRate);
        }

        writer.WriteEndObject();
    }

    private static void Nullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
            writer.WriteNumber(name, v);
        else
            writer.WriteNull(name);
    }

    private static void Nullable(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } v)
            writer.WriteNumber(name, v);
        else
            writer.WriteNull(name);
    }

    private static void Nullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
            writer.WriteString(name, value);
        else
            writer.WriteNull(name);
    }
}
