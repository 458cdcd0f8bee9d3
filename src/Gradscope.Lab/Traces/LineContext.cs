using System.Globalization;
using System.Text.Json;

namespace Gradscope.Lab.Traces;

/// <summary>Typed access to one trace line's members; errors name the file and the line (<c>run.jsonl:12</c>).</summary>
internal readonly record struct LineContext(string Source, int Line)
{
    public override string ToString() => $"{Source}:{Line.ToString(CultureInfo.InvariantCulture)}";

    public GradscopeException Fail(string message) => new($"{this}: {message}");

    public string Text(JsonElement obj, string name) =>
        OptionalText(obj, name) ?? throw Fail($"\"{name}\" is required (a string)");

    public string? OptionalText(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Fail($"\"{name}\" must be a string");
    }

    public int Integer(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i)
            ? i
            : throw Fail($"\"{name}\" is required (an integer)");

    /// <summary>A required number; null means NaN or infinity, written as null.</summary>
    public double Number(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) ? NumberOrNull(v, name) : throw Fail($"\"{name}\" is required (a number or null)");

    public double OptionalNumber(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) ? NumberOrNull(v, name) : double.NaN;

    public double NumberOrNull(JsonElement v, string name) => v.ValueKind switch
    {
        JsonValueKind.Number => v.GetDouble(),
        JsonValueKind.Null => double.NaN,
        _ => throw Fail($"\"{name}\" must hold numbers or null; found {v.ValueKind.ToString().ToLowerInvariant()}"),
    };

    public List<JsonElement> Array(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array)
            throw Fail($"\"{name}\" is required (an array)");
        var items = new List<JsonElement>(v.GetArrayLength());
        foreach (var item in v.EnumerateArray())
            items.Add(item);
        return items;
    }

    public IReadOnlyList<string> OptionalStrings(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return [];
        var items = new List<string>();
        foreach (var item in Array(obj, name))
            items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Fail($"\"{name}\" must hold strings"));
        return items;
    }

    public DateTimeOffset? OptionalTime(JsonElement obj, string name)
    {
        string? text = OptionalText(obj, name);
        if (text is null)
            return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw Fail($"\"{name}\" must be an ISO 8601 time; found \"{text}\"");
    }
}
