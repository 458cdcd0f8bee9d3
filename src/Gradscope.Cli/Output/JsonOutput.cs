using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gradscope.Cli.Output;

/// <summary>The one way commands print their <c>--json</c> result: exactly one indented object on the writer.</summary>
internal static class JsonOutput
{
    public static void WriteObject(TextWriter output, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }
}
