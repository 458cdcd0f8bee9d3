using System.Text.Json;
using Gradscope.Recurrent.Experiments;

namespace Gradscope.Cli.Output;

/// <summary>An experiment's expected outcomes, as lines under its table or as a JSON array.</summary>
internal static class ExpectationsView
{
    public static void Write(Terminal terminal, IReadOnlyList<Expectation> expectations)
    {
        foreach (var e in expectations)
            terminal.Text($"{(e.Met ? "met    " : "NOT MET")}  {e.Description}");
    }

    public static void Write(Utf8JsonWriter w, IReadOnlyList<Expectation> expectations)
    {
        w.WriteStartArray("expectations");
        foreach (var e in expectations)
        {
            w.WriteStartObject();
            w.WriteString("description", e.Description);
            w.WriteBoolean("met", e.Met);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
