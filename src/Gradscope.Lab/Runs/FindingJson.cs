using System.Text.Json;
using Gradscope.Diagnostics;

namespace Gradscope.Lab.Runs;

/// <summary>
/// A finding as every JSON output shows it (<c>--json</c> results and trace files alike): kind,
/// lower-case severity, the layers as <c>{"layer": k, "name": "&lt;module path&gt;"}</c>,
/// <c>evidence</c> and beside it <c>thresholds</c> (NaN and infinity as null), the cause and the
/// remedies (<c>id</c>, <c>title</c>, <c>why</c>).
/// </summary>
public static class FindingJson
{
    /// <summary>Writes the finding's members into the object <paramref name="w"/> has open.</summary>
    public static void WriteMembers(Utf8JsonWriter w, Finding f)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(f);
        w.WriteString("kind", f.Kind.ToString());
        w.WriteString("severity", f.Severity.ToString().ToLowerInvariant());
        w.WriteStartArray("layers");
        foreach (var layer in f.LayerRefs)
            WriteLayerRef(w, layer);
        w.WriteEndArray();
        JsonNumbers.WriteObject(w, "evidence", f.Evidence);
        JsonNumbers.WriteObject(w, "thresholds", f.Thresholds);
        w.WriteString("cause", f.Cause);
        WriteRemedies(w, f.Remedies);
    }

    /// <summary>A finding's remedies as <c>"remedies": [{"id", "title", "why"}]</c>, best first.</summary>
    public static void WriteRemedies(Utf8JsonWriter w, IReadOnlyList<Remedy> remedies)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(remedies);
        w.WriteStartArray("remedies");
        foreach (var r in remedies)
        {
            w.WriteStartObject();
            w.WriteString("id", r.Id);
            w.WriteString("title", r.Title);
            w.WriteString("why", r.Why);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>A layer reference, the one identity of a layer in every JSON output: <c>{"layer": k, "name": "&lt;module path&gt;"}</c>.</summary>
    public static void WriteLayerRef(Utf8JsonWriter w, LayerRef layer)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        w.WriteNumber("layer", layer.Number);
        w.WriteString("name", layer.Name);
        w.WriteEndObject();
    }

}
