using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Sweeps;

/// <summary>
/// The sweep definition's JSON form (schema: <c>docs/schemas/sweep.v1.schema.json</c>):
/// <code>
/// {
///   "format": "gradscope.sweep", "version": 1, "name": "depth",
///   "base": {"data": "spiral", "max-steps": 300},
///   "grid": {"layers": ["2x32", "10x32"], "activation": ["tanh", "relu"]},
///   "trials": [{"activation": "sigmoid", "lr": 0.5}],
///   "random": {"count": 8, "seed": 1, "parameters": {"lr": {"log-uniform": [0.001, 0.3]},
///              "dropout": {"uniform": [0, 0.3]}, "init": {"choice": ["he-normal", "glorot-uniform"]}}},
///   "seeds": 3
/// }
/// </code>
/// Keys of <c>base</c>, <c>grid</c>, <c>trials</c> and <c>parameters</c> are <c>train</c>'s option
/// names without dashes; values are strings, numbers or booleans (a flag: true sets it). A grid
/// value may be a single value. <c>seeds</c> is a count K (seeds 1..K) or a list. Only
/// <c>format</c> is required besides one of grid, trials or random (none: one trial of the base).
/// </summary>
public static partial class SweepJson
{
    /// <summary>The value of a definition's <c>"format"</c> key.</summary>
    public const string Format = "gradscope.sweep";

    /// <summary>The value of a dry run's <c>"format"</c> key.</summary>
    public const string PlanFormat = "gradscope.sweep-plan";

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The definition as indented JSON, every value as a string.</summary>
    public static string Write(SweepDefinition definition) => WriteWith(w => Write(w, definition));

    /// <summary>A dry run: the definition, the trial count, and each trial's index, cell, seed, key and run description.</summary>
    public static string WritePlan(SweepDefinition definition, IReadOnlyList<SweepTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        return WriteWith(w =>
        {
            w.WriteStartObject();
            w.WriteString("format", PlanFormat);
            w.WriteNumber("version", SweepDefinition.FormatVersion);
            w.WriteString("name", definition.Name);
            w.WriteNumber("count", trials.Count);
            w.WritePropertyName("sweep");
            Write(w, definition);
            w.WriteStartArray("trials");
            foreach (var trial in trials)
            {
                w.WriteStartObject();
                w.WriteNumber("index", trial.Index);
                w.WriteString("cell", trial.Cell);
                w.WriteNumber("seed", trial.Seed);
                w.WriteString("key", trial.Key);
                w.WritePropertyName("spec");
                RunSpecJson.Write(w, trial.Spec);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>Writes the definition as one JSON object.</summary>
    public static void Write(Utf8JsonWriter w, SweepDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(definition);
        w.WriteStartObject();
        w.WriteString("format", Format);
        w.WriteNumber("version", SweepDefinition.FormatVersion);
        w.WriteString("name", definition.Name);
        w.WritePropertyName("base");
        WriteSettings(w, definition.Base);
        w.WriteStartObject("grid");
        foreach (var axis in definition.Grid)
        {
            w.WriteStartArray(axis.Option);
            foreach (string value in axis.Values)
                w.WriteStringValue(value);
            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteStartArray("trials");
        foreach (var trial in definition.Trials)
            WriteSettings(w, trial);
        w.WriteEndArray();
        if (definition.Random is { } random)
            WriteRandom(w, random);
        w.WriteStartArray("seeds");
        foreach (int seed in definition.Seeds)
            w.WriteNumberValue(seed);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSettings(Utf8JsonWriter w, IReadOnlyList<SweepSetting> settings)
    {
        w.WriteStartObject();
        foreach (var setting in settings)
            w.WriteString(setting.Option, setting.Value);
        w.WriteEndObject();
    }

    private static void WriteRandom(Utf8JsonWriter w, RandomSearch random)
    {
        w.WriteStartObject("random");
        w.WriteNumber("count", random.Count);
        w.WriteNumber("seed", random.Seed);
        w.WriteStartObject("parameters");
        foreach (var p in random.Parameters)
        {
            w.WriteStartObject(p.Option);
            if (p.Distribution == RandomDistribution.Choice)
            {
                w.WriteStartArray("choice");
                foreach (string choice in p.Choices)
                    w.WriteStringValue(choice);
            }
            else
            {
                w.WriteStartArray(p.Distribution == RandomDistribution.LogUniform ? "log-uniform" : "uniform");
                w.WriteNumberValue(p.Low);
                w.WriteNumberValue(p.High);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string WriteWith(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
            write(writer);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
