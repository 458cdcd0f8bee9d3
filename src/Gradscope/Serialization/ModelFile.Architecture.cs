using System.Text.Json;
using Gradscope.Activations;
using Gradscope.Serialization.Safetensors;
using Gradscope.Training;

namespace Gradscope.Serialization;

/// <summary>Reading the architecture metadata of networks beyond the plain dense chain.</summary>
public static partial class ModelFile
{
    private const string PreActivation = "pre-activation";
    private const string PostActivation = "post-activation";

    /// <summary>
    /// The spec the metadata describes when it is a layer list or a flag layout with norm, residual
    /// or dropout; null for no metadata or a plain dense chain, which load as they always have.
    /// </summary>
    private static NetworkSpec? DescribedSpec(SafetensorsFile file, Activation? activation, string path)
    {
        if (!file.Metadata.TryGetValue(ArchitectureKey, out var json))
            return null;
        string source = $"{path}: metadata '{ArchitectureKey}'";
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new GradscopeException($"{source} is not valid JSON: {ex.Message}", ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new GradscopeException($"{source} must be a JSON object; it is {root.ValueKind.ToString().ToLowerInvariant()}.");
            if (root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == ModelSpecJson.SpecType)
            {
                if (activation is not null)
                    throw new GradscopeException($"{path} lists its layers, activations included, in its metadata; an activation given for it cannot override them.");
                return NetworkSpec.FromJson(json, source: source);
            }

            bool hasNorm = root.TryGetProperty("norm", out var norm);
            bool hasResidual = root.TryGetProperty("residual", out var residual);
            bool hasDropout = root.TryGetProperty("dropout", out var dropout);
            if (!hasNorm && !hasResidual && !hasDropout)
                return null;
            try
            {
                return new NetworkSpec(Size(root, "input", source), Hidden(root, source), Size(root, "output", source), activation ?? Activation.Parse(Text(root, "activation", source)))
                {
                    Norm = hasNorm ? NetworkSpec.ParseNorm(TextValue(norm, "norm", source)) : NormKind.None,
                    Residual = hasResidual ? ParseResidual(TextValue(residual, "residual", source), source) : ResidualStyle.None,
                    Dropout = hasDropout ? Number(dropout, "dropout", source) : 0,
                };
            }
            catch (GradscopeException ex) when (!ex.Message.StartsWith(path, StringComparison.Ordinal))
            {
                throw new GradscopeException($"{source}: {ex.Message}", ex);
            }
        }
    }

    private static ResidualStyle ParseResidual(string text, string source) => text switch
    {
        PreActivation => ResidualStyle.PreActivation,
        PostActivation => ResidualStyle.PostActivation,
        _ => throw new GradscopeException($"{source}: \"residual\" must be \"{PreActivation}\" or \"{PostActivation}\"; got \"{text}\"."),
    };

    private static int Size(JsonElement root, string key, string source)
    {
        if (root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int size))
            return size;
        throw new GradscopeException($"{source}: \"{key}\" must be a whole number.");
    }

    private static List<int> Hidden(JsonElement root, string source)
    {
        if (!root.TryGetProperty("hidden", out var hidden) || hidden.ValueKind != JsonValueKind.Array)
            throw new GradscopeException($"{source}: \"hidden\" must be an array of layer widths.");
        var sizes = new List<int>();
        foreach (var element in hidden.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out int size))
                throw new GradscopeException($"{source}: \"hidden\" holds {element.GetRawText()}, not a whole number.");
            sizes.Add(size);
        }

        return sizes;
    }

    private static string Text(JsonElement root, string key, string source)
    {
        if (root.TryGetProperty(key, out var value))
            return TextValue(value, key, source);
        throw new GradscopeException($"{source}: no \"{key}\" string.");
    }

    private static string TextValue(JsonElement value, string key, string source) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new GradscopeException($"{source}: \"{key}\" must be a string; got {value.GetRawText()}.");

    private static double Number(JsonElement value, string key, string source) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw new GradscopeException($"{source}: \"{key}\" must be a number; got {value.GetRawText()}.");
}
