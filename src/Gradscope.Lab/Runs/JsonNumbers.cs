using System.Text.Json;

namespace Gradscope.Lab.Runs;

/// <summary>
/// Numbers in Gradscope's public JSON: JSON has no NaN or infinity, so such values are written as
/// null (the store's own format keeps them as strings instead; see <c>Store/FindingsJson</c>).
/// </summary>
public static class JsonNumbers
{
    /// <summary>Writes <paramref name="name"/>: the number, or null when it is not finite.</summary>
    public static void Write(Utf8JsonWriter writer, string name, double value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(name);
        WriteValue(writer, value);
    }

    /// <summary>Writes <paramref name="name"/>: the number, or null when there is none or it is not finite.</summary>
    public static void Write(Utf8JsonWriter writer, string name, double? value) => Write(writer, name, value ?? double.NaN);

    /// <summary>Writes the number as an array element or property value, or null when it is not finite.</summary>
    public static void WriteValue(Utf8JsonWriter writer, double value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteNullValue();
    }

    /// <summary>Writes <paramref name="name"/> as an object of named numbers, non-finite ones as null.</summary>
    public static void WriteObject(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(values);
        writer.WriteStartObject(name);
        foreach (var (key, value) in values)
            Write(writer, key, value);
        writer.WriteEndObject();
    }
}
