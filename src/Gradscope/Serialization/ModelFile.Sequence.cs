using System.Text.Json;
using Gradscope.Data;
using Gradscope.Serialization.Safetensors;

namespace Gradscope.Serialization;

/// <summary>What a model file says about the sequences its network was trained on.</summary>
public static partial class ModelFile
{
    /// <summary>
    /// Metadata key holding, for a network trained on sequences (a recurrent one, or a dense one
    /// that reads them flat), the sequences it was trained on as JSON:
    /// <c>{"steps": 50, "features": 2, "task": "adding"}</c> (<c>task</c> only for a built-in task;
    /// <c>length</c>, the task's T, only where the rows are longer than T: the copy task's
    /// <c>{"steps": 70, "features": 10, "task": "copy", "length": 50}</c>).
    /// </summary>
    public const string SequenceKey = "gradscope.sequence";

    private static string SequenceJson(SequenceShape sequence)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("steps", sequence.Steps);
            writer.WriteNumber("features", sequence.Features);
            if (sequence.Task is { } task)
                writer.WriteString("task", task);
            if (sequence.TaskLength is { } length)
                writer.WriteNumber("length", length);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static SequenceShape? ReadSequence(SafetensorsFile file, string path)
    {
        if (!file.Metadata.TryGetValue(SequenceKey, out var json))
            return null;
        string source = $"{path}: metadata '{SequenceKey}'";
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new GradscopeException($"{source} must be a JSON object like {{\"steps\": 50, \"features\": 2}}.");
            int steps = Positive(root, "steps", source), features = Positive(root, "features", source);
            string? task = root.TryGetProperty("task", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            int? length = root.TryGetProperty("length", out _) ? Positive(root, "length", source) : null;
            return new SequenceShape(steps, features, task) { TaskLength = length };
        }
        catch (JsonException ex)
        {
            throw new GradscopeException($"{source} is not valid JSON: {ex.Message}", ex);
        }
    }

    // A dense network reads a sequence flat: its input width must be steps times features.
    private static void CheckFlatSequence(SequenceShape sequence, int inputs, string path)
    {
        if ((long)sequence.Steps * sequence.Features != inputs)
        {
            throw new GradscopeException(
                $"{path}: metadata '{SequenceKey}' says sequences of {sequence.Steps} steps x {sequence.Features} features, but the network's first layer takes {inputs} inputs.");
        }
    }

    private static int Positive(JsonElement root, string key, string source) =>
        root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) && n >= 1
            ? n
            : throw new GradscopeException($"{source}: \"{key}\" must be a whole number of at least 1.");
}
