using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Fixes;
using Gradscope.Lab.Runs;
using Gradscope.Serialization;

namespace Gradscope.Cli.Output;

/// <summary>The JSON forms of findings, per-layer statistics and fix outcomes.</summary>
internal static class DiagnosisJson
{
    public static void WriteFindings(Utf8JsonWriter w, DiagnosisReport report)
    {
        w.WriteBoolean("healthy", report.Healthy);
        w.WriteStartArray("findings");
        foreach (var f in report.Findings)
            WriteFinding(w, f);
        w.WriteEndArray();
    }

    public static void WriteFinding(Utf8JsonWriter w, Finding f)
    {
        w.WriteStartObject();
        FindingJson.WriteMembers(w, f);
        w.WriteEndObject();
    }

    /// <summary>
    /// The run description <paramref name="spec"/> as <c>"spec"</c>; <paramref name="weights"/>
    /// names the model file the run starts from (null: from the initializer).
    /// </summary>
    public static void WriteSpec(Utf8JsonWriter w, RunSpec spec, string? weights = null)
    {
        w.WritePropertyName("spec");
        RunSpecJson.Write(w, spec with { Weights = weights });
    }

    /// <summary>A layer reference, the one identity of a layer in every JSON output: <c>{"layer": k, "name": "&lt;module path&gt;"}</c>.</summary>
    public static void WriteLayerRef(Utf8JsonWriter w, LayerRef layer) => FindingJson.WriteLayerRef(w, layer);

    public static void WriteOutcome(Utf8JsonWriter w, FixOutcome o)
    {
        w.WriteStartObject();
        w.WriteString("label", o.Label);
        if (o.Remedy is not null)
            w.WriteString("remedy", o.Remedy.Id);
        else
            w.WriteNull("remedy");
        WriteSpec(w, o.Spec, o.Weights?.Source);
        WriteWeights(w, o.Weights);
        JsonNumbers.Write(w, "first_to_last_ratio", o.FirstToLastRatio);
        JsonNumbers.Write(w, "orders_lost", o.OrdersLost);
        JsonNumbers.Write(w, "loss", o.Loss);
        JsonNumbers.Write(w, "accuracy", o.Accuracy);
        w.WriteStartArray("findings_left");
        foreach (var f in o.FindingsLeft)
            w.WriteStringValue(f.Kind.ToString());
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // Which tensors a trial kept from the diagnosed network and which it initialized; null for a fresh run.
    private static void WriteWeights(Utf8JsonWriter w, WeightTransfer? weights)
    {
        if (weights is null)
        {
            w.WriteNull("kept_tensors");
            w.WriteNull("total_tensors");
            w.WriteNull("reinitialized");
            return;
        }

        w.WriteNumber("kept_tensors", weights.Kept.Count);
        w.WriteNumber("total_tensors", weights.Total);
        w.WriteStartArray("reinitialized");
        foreach (string name in weights.Initialized)
            w.WriteStringValue(name);
        w.WriteEndArray();
    }
}
