using System.Globalization;
using System.Text.Json;
using Gradscope.Data;
using Gradscope.Serialization.Safetensors;

namespace Gradscope.Serialization;

/// <summary>The classes a model file names, and data labels put in the model's class order.</summary>
public static partial class ModelFile
{
    /// <summary>
    /// Metadata key holding the model's classes as a JSON array of strings (safetensors metadata
    /// values are strings), in class-index order: the labels as they appeared in the training data.
    /// A model without it takes integer labels as class indices.
    /// </summary>
    public const string ClassesKey = "gradscope.classes";

    // More names than this in a message are cut off with "...".
    private const int ClassesShown = 20;

    /// <summary>
    /// Returns <paramref name="data"/> with its labels turned into the classes of a model with
    /// <paramref name="modelOutputs"/> outputs, and as many classes. A model that names its classes
    /// maps each label through the names; a model without names takes integer labels as class indices
    /// (as PyTorch's cross-entropy does), so labels 0, 2, 3, 5 stay 0, 2, 3, 5.
    /// </summary>
    /// <param name="data">The data; its features are shared, not copied.</param>
    /// <param name="classNamesAreLabels">
    /// True when <see cref="Dataset.ClassNames"/> are the label texts of a file (a CSV label column);
    /// false for built-in sets, whose label of class <c>c</c> is the index <c>c</c>.
    /// </param>
    /// <param name="modelClasses">The model's class names (<see cref="LoadedModel{T}.Classes"/>), or null.</param>
    /// <param name="modelOutputs">The model's output count.</param>
    /// <param name="dataSource">The data file or set name, for messages.</param>
    /// <param name="modelSource">The model file, for messages.</param>
    /// <exception cref="GradscopeException">A label of the data is not a class of the model; the message names it and both files.</exception>
    public static Dataset MapLabels(Dataset data, bool classNamesAreLabels, IReadOnlyList<string>? modelClasses, int modelOutputs, string dataSource, string modelSource)
    {
        ArgumentNullException.ThrowIfNull(data);
        int[] present = data.ClassCounts();
        var target = new int[data.ClassCount];
        for (int c = 0; c < target.Length; c++)
        {
            if (present[c] == 0)
                continue;
            string label = classNamesAreLabels ? data.ClassNames[c] : c.ToString(CultureInfo.InvariantCulture);
            target[c] = modelClasses is null
                ? ClassIndex(label, modelOutputs, dataSource, modelSource)
                : NamedClass(label, modelClasses, dataSource, modelSource);
        }

        var labels = new int[data.Count];
        for (int row = 0; row < labels.Length; row++)
            labels[row] = target[data.Labels[row]];
        IReadOnlyList<string> names = modelClasses
            ?? (!classNamesAreLabels && data.ClassCount == modelOutputs ? data.ClassNames : Dataset.NumberedNames(string.Empty, modelOutputs));
        return new Dataset(data.Name, data.Features, labels, data.FeatureCount, modelOutputs, data.FeatureNames, names) { Sequence = data.Sequence, Regression = data.Regression, StepLabels = data.StepLabels };
    }

    private static int ClassIndex(string label, int outputs, string dataSource, string modelSource)
    {
        if (!CsvLabels.TryInteger(label, out int index))
        {
            throw new GradscopeException(
                $"{dataSource}: label '{label}' is not a class index, and {modelSource} names no classes (no '{ClassesKey}' metadata), so labels must be integers 0..{outputs - 1}.");
        }

        if (index < 0 || index >= outputs)
        {
            throw new GradscopeException(
                $"{dataSource}: label {index} is not a class of {modelSource}: it has {outputs} outputs and names no classes, so integer labels are class indices 0..{outputs - 1}.");
        }

        return index;
    }

    private static int NamedClass(string label, IReadOnlyList<string> classes, string dataSource, string modelSource)
    {
        for (int i = 0; i < classes.Count; i++)
        {
            if (string.Equals(classes[i], label, StringComparison.Ordinal))
                return i;
        }

        // "3" and "3.0" are the same integer label, as when the training data was read.
        if (CsvLabels.TryInteger(label, out int value))
        {
            for (int i = 0; i < classes.Count; i++)
            {
                if (CsvLabels.TryInteger(classes[i], out int named) && named == value)
                    return i;
            }
        }

        throw new GradscopeException(
            $"{dataSource}: label '{label}' is not a class of {modelSource}, which was trained on the classes {ShowClasses(classes)}.");
    }

    private static string ShowClasses(IReadOnlyList<string> classes)
    {
        var shown = new List<string>();
        for (int i = 0; i < Math.Min(classes.Count, ClassesShown); i++)
            shown.Add($"'{classes[i]}'");
        return string.Join(", ", shown) + (classes.Count > ClassesShown ? $", ... ({classes.Count} in all)" : string.Empty);
    }

    private static string ClassesJson(IReadOnlyList<string> classes, int outputs)
    {
        if (classes.Count != outputs)
            throw new ArgumentException($"{classes.Count} class names for a network of {outputs} outputs.", nameof(classes));
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (string name in classes)
                writer.WriteStringValue(name);
            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string[]? ReadClasses(SafetensorsFile file, int outputs, string path)
    {
        if (!file.Metadata.TryGetValue(ClassesKey, out var json))
            return null;
        string source = $"{path}: metadata '{ClassesKey}'";
        string[] classes;
        try
        {
            using var doc = JsonDocument.Parse(json);
            classes = ClassNames(doc.RootElement, source);
        }
        catch (JsonException ex)
        {
            throw new GradscopeException($"{source} is not valid JSON: {ex.Message}", ex);
        }

        if (classes.Length != outputs)
            throw new GradscopeException($"{source} names {classes.Length} classes, but the network has {outputs} outputs.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in classes)
        {
            if (!seen.Add(name))
                throw new GradscopeException($"{source} names the class '{name}' twice.");
        }

        return classes;
    }

    private static string[] ClassNames(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Array)
            throw new GradscopeException($"{source} must be a JSON array of class names (strings); it is {root.ValueKind.ToString().ToLowerInvariant()}.");
        var names = new List<string>();
        foreach (var element in root.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.String)
                throw new GradscopeException($"{source} holds {element.GetRawText()}; class names must be strings.");
            names.Add(element.GetString()!);
        }

        return [.. names];
    }
}
