using System.Globalization;
using System.Text.Json;

namespace Gradscope.Cli.Commands.Runs;

/// <summary>
/// A run description's network in one short line for side-by-side tables: each layer as a word
/// (<c>dense 32</c>, <c>sigmoid</c>, <c>batch-norm</c>, <c>lstm 16</c>, <c>residual[...]</c>)
/// and a repeated group written once with its count, so an 8-layer sigmoid network reads
/// <c>8 x (dense 32, sigmoid), dense 3</c> instead of a page of JSON.
/// </summary>
internal static class NetworkText
{
    public static string Describe(JsonElement network)
    {
        var words = network.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array
            ? Words(layers)
            : [network.ToString()];
        if (network.TryGetProperty("output", out var output))
            words.Add(output.ValueKind == JsonValueKind.Number ? $"head {output}" : $"head {Field(output, "units")}");
        return Compress(words);
    }

    private static List<string> Words(JsonElement layers)
    {
        var words = new List<string>();
        foreach (var layer in layers.EnumerateArray())
            words.Add(Word(layer));
        return words;
    }

    private static string Word(JsonElement layer)
    {
        string type = Field(layer, "type");
        return type switch
        {
            "dense" => $"dense {Field(layer, "units")}",
            "activation" => Field(layer, "name"),
            "residual" => $"residual[{(layer.TryGetProperty("layers", out var inner) ? Compress(Words(inner)) : "?")}]",
            "rnn" or "lstm" or "gru" => $"{type} {Field(layer, "hidden")}",
            "dropout" => $"dropout {Field(layer, "rate")}".TrimEnd(),
            _ => type,
        };
    }

    private static string Field(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.ToString()) : string.Empty;

    // Finds, from each position, the group length (1 to 4 words) repeated most often in a row.
    private static string Compress(List<string> words)
    {
        var parts = new List<string>();
        int i = 0;
        while (i < words.Count)
        {
            var (size, count) = BestRepeat(words, i);
            string group = string.Join(", ", words.GetRange(i, size));
            parts.Add(count > 1 ? string.Create(CultureInfo.InvariantCulture, $"{count} x ({group})") : group);
            i += size * count;
        }

        return string.Join(", ", parts);
    }

    private static (int Size, int Count) BestRepeat(List<string> words, int start)
    {
        (int size, int count) best = (1, 1);
        for (int size = 1; size <= 4 && start + size <= words.Count; size++)
        {
            int count = 1;
            while (start + ((count + 1) * size) <= words.Count && SameGroup(words, start, start + (count * size), size))
                count++;
            if (count > 1 && count * size > best.size * best.count)
                best = (size, count);
        }

        return best;
    }

    private static bool SameGroup(List<string> words, int a, int b, int size)
    {
        for (int k = 0; k < size; k++)
        {
            if (!string.Equals(words[a + k], words[b + k], StringComparison.Ordinal))
                return false;
        }

        return true;
    }
}
