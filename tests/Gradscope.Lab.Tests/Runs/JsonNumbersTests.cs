using System.Text;
using System.Text.Json;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Tests.Runs;

public sealed class JsonNumbersTests
{
    [Fact]
    public void Write_NonFiniteNumbers_AreNull_FiniteOnesStayNumbers()
    {
        string json = Written(w =>
        {
            JsonNumbers.Write(w, "finite", 0.25);
            JsonNumbers.Write(w, "nan", double.NaN);
            w.WriteStartArray("values");
            JsonNumbers.WriteValue(w, double.PositiveInfinity);
            JsonNumbers.WriteValue(w, -3);
            w.WriteEndArray();
            JsonNumbers.WriteObject(w, "evidence", new Dictionary<string, double> { ["ratio"] = 1e-9, ["inf"] = double.NegativeInfinity });
        });

        Assert.Equal("""{"finite":0.25,"nan":null,"values":[null,-3],"evidence":{"ratio":1E-09,"inf":null}}""", json);
    }

    private static string Written(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
