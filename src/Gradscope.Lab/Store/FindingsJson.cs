using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Store;

/// <summary>
/// Findings as the store keeps them: kind, severity, layers (0-based trace indices and names),
/// evidence, thresholds, cause and remedies (id, title, why). Read back, a remedy that Gradscope
/// knows by its id is that remedy (it can be applied again); another keeps its text and changes nothing.
/// </summary>
internal static class FindingsJson
{
    public static string Write(IReadOnlyList<Finding> findings)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var f in findings)
                WriteFinding(w, f);
            w.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static List<Finding> Read(string? json)
    {
        var findings = new List<Finding>();
        if (string.IsNullOrEmpty(json))
            return findings;
        using var document = JsonDocument.Parse(json);
        foreach (var e in document.RootElement.EnumerateArray())
            findings.Add(ReadFinding(e));
        return findings;
    }

    private static void WriteFinding(Utf8JsonWriter w, Finding f)
    {
        w.WriteStartObject();
        w.WriteString("kind", f.Kind.ToString());
        w.WriteString("severity", f.Severity.ToString());
        w.WriteStartArray("layers");
        foreach (int layer in f.Layers)
            w.WriteNumberValue(layer);
        w.WriteEndArray();
        w.WriteStartArray("layer_names");
        foreach (string name in f.LayerNames)
            w.WriteStringValue(name);
        w.WriteEndArray();
        WriteNumbers(w, "evidence", f.Evidence);
        WriteNumbers(w, "thresholds", f.Thresholds);
        w.WriteString("cause", f.Cause);
        FindingJson.WriteRemedies(w, f.Remedies);
        w.WriteEndObject();
    }

    // Non-finite numbers are written as strings ("NaN", "Infinity"), which JSON numbers cannot be.
    private static void WriteNumbers(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, double> values)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            if (double.IsFinite(value))
                w.WriteNumber(key, value);
            else
                w.WriteString(key, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        w.WriteEndObject();
    }

    private static Finding ReadFinding(JsonElement e)
    {
        var layers = new List<int>();
        foreach (var layer in e.GetProperty("layers").EnumerateArray())
            layers.Add(layer.GetInt32());
        var names = new List<string>();
        foreach (var name in e.GetProperty("layer_names").EnumerateArray())
            names.Add(name.GetString()!);
        var remedies = new List<Remedy>();
        foreach (var r in e.GetProperty("remedies").EnumerateArray())
            remedies.Add(ReadRemedy(r));
        return new Finding(
            Enum.Parse<FindingKind>(e.GetProperty("kind").GetString()!), Enum.Parse<Severity>(e.GetProperty("severity").GetString()!),
            layers, ReadNumbers(e.GetProperty("evidence")), ReadNumbers(e.GetProperty("thresholds")), e.GetProperty("cause").GetString()!, remedies)
        {
            LayerNames = names,
        };
    }

    private static Remedy ReadRemedy(JsonElement r)
    {
        string id = r.GetProperty("id").GetString()!;
        foreach (var known in Remedies.All)
        {
            if (known.Id == id)
                return known;
        }

        return new Remedy(id, r.GetProperty("title").GetString()!, r.GetProperty("why").GetString()!, new RemedyRewrite.None());
    }

    private static Dictionary<string, double> ReadNumbers(JsonElement e)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            values[p.Name] = p.Value.ValueKind == JsonValueKind.String
                ? double.Parse(p.Value.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
                : p.Value.GetDouble();
        }

        return values;
    }
}
