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
    /// <summary>
    /// Writes the finding's members into the object <paramref name="w"/> has open; <paramref name="code"/>,
    /// when given, supplies the PyTorch code of each remedy, written as its <c>pytorch</c> member.
    /// </summary>
    public static void WriteMembers(Utf8JsonWriter w, Finding f, Func<Remedy, string?>? code = null)
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
        WriteRemedies(w, f.Remedies, code);
    }

    /// <summary>A finding's remedies as <c>"remedies": [{"id", "title", "why"}]</c>, best first, with <c>"pytorch"</c> where <paramref name="code"/> has some.</summary>
    public static void WriteRemedies(Utf8JsonWriter w, IReadOnlyList<Remedy> remedies, Func<Remedy, string?>? code = null)
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
            if (code?.Invoke(r) is { } snippet)
                w.WriteString("pytorch", snippet);
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
