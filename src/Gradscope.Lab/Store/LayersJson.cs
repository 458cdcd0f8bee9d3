using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Store;

/// <summary>A run's watched layers as the store keeps them: <c>[{"layer", "name", "kind", "activation", "inputs", "units"}]</c>.</summary>
internal static class LayersJson
{
    /// <summary>The run's layers; from its trace (dense layers, the hidden activation, identity at the head) when it lists none.</summary>
    public static IReadOnlyList<RecordedLayer> Of(RunRecord run)
    {
        if (run.Layers.Count > 0)
            return run.Layers;
        var trace = run.Trace;
        var layers = new RecordedLayer[trace.LayerCount];
        for (int l = 0; l < layers.Length; l++)
        {
            string activation = l == layers.Length - 1 ? "identity" : trace.Activation;
            layers[l] = new RecordedLayer(LayerRef.At(trace.LayerNames, l), "dense", activation, trace.LayerInputs[l], trace.LayerWidths[l]);
        }

        return layers;
    }

    public static string Write(IReadOnlyList<RecordedLayer> layers)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            RecordedLayerJson.WriteArray(w, layers, null);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static List<RecordedLayer> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var layers = new List<RecordedLayer>();
        foreach (var e in document.RootElement.EnumerateArray())
        {
            var layer = new LayerRef(e.GetProperty("layer").GetInt32(), e.GetProperty("name").GetString()!);
            layers.Add(new RecordedLayer(layer, e.GetProperty("kind").GetString()!, e.GetProperty("activation").GetString()!,
                e.GetProperty("inputs").GetInt32(), e.GetProperty("units").GetInt32())
            {
                ModuleKind = e.TryGetProperty("module_kind", out var kind) ? kind.GetString() : null,
                ActivationModule = e.TryGetProperty("activation_module", out var module) ? module.GetString() : null,
                Init = e.TryGetProperty("init", out var init) ? ReadInit(init) : null,
            });
        }

        return layers;
    }

    private static LayerInit ReadInit(JsonElement init)
    {
        var values = new double[LayerInit.Names.Count];
        for (int i = 0; i < values.Length; i++)
            values[i] = init.TryGetProperty(LayerInit.Names[i], out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;
        return LayerInit.From(values);
    }
}
