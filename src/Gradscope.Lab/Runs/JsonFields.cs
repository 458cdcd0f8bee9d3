using System.Text.Json;

namespace Gradscope.Lab.Runs;

/// <summary>
/// Strict access to one JSON object's members: unknown or repeated keys, wrong kinds and
/// out-of-range numbers are errors that name the source (a file) and the member's path.
/// </summary>
internal readonly struct JsonFields
{
    private readonly JsonElement _element;

    /// <summary>The JSON reading rules of hand-written files: comments and trailing commas allowed.</summary>
    public static readonly JsonDocumentOptions HandWritten = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Parses a hand-written file's text; invalid JSON is an error naming <paramref name="source"/>.</summary>
    /// <exception cref="GradscopeException">The text is not valid JSON.</exception>
    public static JsonDocument Parse(string json, string source)
    {
        try
        {
            return JsonDocument.Parse(json, HandWritten);
        }
        catch (JsonException ex)
        {
            throw new GradscopeException($"{source}: not valid JSON: {ex.Message}", ex);
        }
    }

    public JsonFields(JsonElement element, string source, string path, params string[] allowed)
    {
        Source = source;
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
            throw Fail($"must be an object; found {Kind(element)}");
        _element = element;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
                throw new GradscopeException($"{source}: {Join(path, property.Name)}: unknown key; expected one of {string.Join(", ", allowed)}.");
            if (!seen.Add(property.Name))
                throw new GradscopeException($"{source}: {Join(path, property.Name)}: the key appears twice.");
        }
    }

    public string Source { get; }

    public string Path { get; }

    public bool Has(string key) => _element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null;

    public JsonElement Required(string key) =>
        _element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : throw Fail(key, "is required");

    public JsonFields Object(string key, params string[] allowed) => new(Required(key), Source, Join(Path, key), allowed);

    public string Text(string key) => AsText(Required(key), key);

    public string? OptionalText(string key) => Has(key) ? AsText(Required(key), key) : null;

    public int Integer(string key, int min, int max, int fallback) => Has(key) ? AsInteger(key, min, max) : fallback;

    public int? OptionalInteger(string key, int min, int max) => Has(key) ? AsInteger(key, min, max) : null;

    public double Number(string key, double min, double max, double fallback) => Has(key) ? AsNumber(key, min, max) : fallback;

    public double? OptionalNumber(string key, double min, double max) => Has(key) ? AsNumber(key, min, max) : null;

    public bool Boolean(string key, bool fallback)
    {
        if (!Has(key))
            return fallback;
        var value = Required(key);
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Fail(key, $"must be true or false; found {Kind(value)}");
    }

    public GradscopeException Fail(string key, string message) => new($"{Source}: {Join(Path, key)}: {message}.");

    public GradscopeException Fail(string message) =>
        new(Path.Length == 0 ? $"{Source}: {message}." : $"{Source}: {Path}: {message}.");

    private string AsText(JsonElement value, string key) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Fail(key, $"must be a string; found {Kind(value)}");

    private int AsInteger(string key, int min, int max)
    {
        var value = Required(key);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) && number >= min && number <= max)
            return number;
        throw Fail(key, $"must be a whole number from {min} to {max}; found {value.GetRawText()}");
    }

    private double AsNumber(string key, double min, double max)
    {
        var value = Required(key);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) && double.IsFinite(number) && number >= min && number <= max)
            return number;
        throw Fail(key, $"must be a number from {min:R} to {max:R}; found {value.GetRawText()}");
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
