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
            WriteFrameworkMembers(w, layer);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    // What a layer recorded outside Gradscope (the PyTorch hook) adds; written only when known, so
    // Gradscope's own layers keep their six members.
    private static void WriteFrameworkMembers(Utf8JsonWriter w, RecordedLayer layer)
    {
        if (layer.ModuleKind is null)
            return;
        w.WriteString("module_kind", layer.ModuleKind);
        w.WriteString("activation_module", layer.ActivationModule);
        if (layer.Init is not { } init)
            return;
        w.WriteStartObject("init");
        var values = init.Values();
        for (int i = 0; i < values.Length; i++)
            JsonNumbers.Write(w, LayerInit.Names[i], values[i]);
        w.WriteEndObject();
    }

    /// <summary>Writes <paramref name="framework"/> as the trace header's <c>framework</c>, <c>optimizer</c> and <c>loss_function</c> members.</summary>
    public static void WriteFramework(Utf8JsonWriter w, FrameworkInfo framework)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(framework);
        w.WriteStartObject("framework");
        w.WriteString("name", framework.Name);
        w.WriteString("version", framework.Version);
        w.WriteEndObject();
        if (framework.Optimizer is not null)
        {
            w.WriteStartObject("optimizer");
            w.WriteString("name", framework.Optimizer);
            JsonNumbers.Write(w, "learning_rate", framework.LearningRate);
            JsonNumbers.WriteObject(w, "settings", framework.OptimizerSettings);
            w.WriteEndObject();
        }

        w.WriteString("loss_function", framework.LossFunction);
    }
}
