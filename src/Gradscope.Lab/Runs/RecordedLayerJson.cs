using System.Text.Json;

namespace Gradscope.Lab.Runs;

/// <summary>
/// A watched layer as trace headers, the run store and the HTML report write it:
/// <c>{"layer": k, "name": "&lt;module path&gt;", "kind", "activation", "inputs", "units"}</c>,
/// the layer identity of every JSON output plus what the layer is.
/// </summary>
public static class RecordedLayerJson
{
    /// <summary>Writes <paramref name="layers"/> as an array, named <paramref name="property"/> or, when null, as a bare value.</summary>
    public static void WriteArray(Utf8JsonWriter w, IReadOnlyList<RecordedLayer> layers, string? property = "layers")
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(layers);
        if (property is null)
            w.WriteStartArray();
        else
            w.WriteStartArray(property);
        foreach (var layer in layers)
        {
            w.WriteStartObject();
            w.WriteNumber("layer", layer.Layer.Number);
            w.WriteString("name", layer.Layer.Name);
            w.WriteString("kind", layer.Kind);
            w.WriteString("activation", layer.Activation);
            w.WriteNumber("inputs", layer.Inputs);
            w.WriteNumber("units", layer.Units);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
