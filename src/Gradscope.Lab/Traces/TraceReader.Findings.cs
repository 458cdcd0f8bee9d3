using System.Text.Json;
using Gradscope.Diagnostics;

namespace Gradscope.Lab.Traces;

public static partial class TraceReader
{
    // A finding as written: its remedies keep id, title and why; they cannot be re-applied (the
    // rewrite is code, not data), so their Apply leaves a configuration unchanged.
    private static Finding ReadFinding(JsonElement root, LineContext at, IReadOnlyList<string> layerNames)
    {
        string kindName = at.Text(root, "kind");
        if (!Enum.TryParse<FindingKind>(kindName, ignoreCase: false, out var kind))
            throw at.Fail($"finding \"kind\" \"{kindName}\" is not one of {string.Join(", ", Enum.GetNames<FindingKind>())}");
        string severityName = at.Text(root, "severity");
        if (!Enum.TryParse<Severity>(severityName, ignoreCase: true, out var severity))
            throw at.Fail($"finding \"severity\" \"{severityName}\" is not info, warning or error");
        var layers = new List<int>();
        foreach (var layer in at.Array(root, "layers"))
            layers.Add(at.Integer(layer, "layer") - 1);
        var remedies = new List<Remedy>();
        if (root.TryGetProperty("remedies", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in list.EnumerateArray())
                remedies.Add(new Remedy(at.Text(r, "id"), at.Text(r, "title"), at.OptionalText(r, "why") ?? "", new RemedyRewrite.None()));
        }

        return new Finding(kind, severity, layers, Numbers(root, "evidence", at), Numbers(root, "thresholds", at), at.OptionalText(root, "cause") ?? "", remedies)
        {
            LayerNames = layerNames,
        };
    }

    private static Dictionary<string, double> Numbers(JsonElement root, string name, LineContext at)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!root.TryGetProperty(name, out var obj) || obj.ValueKind != JsonValueKind.Object)
            return values;
        foreach (var p in obj.EnumerateObject())
            values[p.Name] = at.NumberOrNull(p.Value, $"{name}.{p.Name}");
        return values;
    }
}
