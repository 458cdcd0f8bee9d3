using System.Text.Json;

namespace Gradscope.Cli.Output;

/// <summary>JSON has no NaN or infinity: such values are written as null.</summary>
internal static class JsonNumbers
{
    public static void Write(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumber(name, value);
        else
            writer.WriteNull(name);
    }
}
