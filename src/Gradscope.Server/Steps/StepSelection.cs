using System.Globalization;
using Gradscope.Diagnostics;
using Gradscope.Server.Api;

namespace Gradscope.Server.Steps;

/// <summary>
/// What <c>GET /api/runs/{id}/steps</c> asks for: a step range, 0-based layer indices (the query
/// names layers from 1: <c>1,2,5-9</c>), statistics by name and the most points to return.
/// </summary>
internal sealed record StepSelection(long From, long To, int[] Layers, LayerStat[] Stats, int MaxPoints)
{
    public const int DefaultMaxPoints = 1000;
    public const int MinPoints = 2;
    public const int MaxPointsLimit = 20_000;

    private static readonly LayerStat[] DefaultStats = [LayerStat.DeltaRms, LayerStat.GradRms];

    public static StepSelection Parse(IQueryCollection query, int layerCount)
    {
        long from = QueryNumbers.OptionalLong(query, "from") ?? 0;
        long to = QueryNumbers.OptionalLong(query, "to") ?? long.MaxValue;
        if (to < from)
            throw ApiProblem.BadRequest($"to ({to}) is before from ({from}).");
        string layers = query["layers"].ToString();
        string stats = query["stats"].ToString();
        return new StepSelection(from, to, layers.Length == 0 ? AllLayers(layerCount) : ParseLayers(layers, layerCount),
            stats.Length == 0 ? DefaultStats : ParseStats(stats),
            QueryNumbers.Int(query, "max_points", DefaultMaxPoints, MinPoints, MaxPointsLimit));
    }

    private static int[] AllLayers(int count)
    {
        var all = new int[count];
        for (int i = 0; i < count; i++)
            all[i] = i;
        return all;
    }

    private static int[] ParseLayers(string text, int layerCount)
    {
        var chosen = new SortedSet<int>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int dash = part.IndexOf('-', 1);
            int first = Layer(dash < 0 ? part : part[..dash], layerCount, text);
            int last = dash < 0 ? first : Layer(part[(dash + 1)..], layerCount, text);
            if (last < first)
                throw ApiProblem.BadRequest($"layers '{text}': range {part} goes backwards.");
            for (int l = first; l <= last; l++)
                chosen.Add(l - 1);
        }

        if (chosen.Count == 0)
            throw ApiProblem.BadRequest($"layers '{text}' names no layer.");
        return [.. chosen];
    }

    private static int Layer(string text, int layerCount, string whole)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int layer))
            throw ApiProblem.BadRequest($"layers '{whole}': '{text}' is not a layer number (layers are numbered from 1; ranges as 5-9).");
        if (layer < 1 || layer > layerCount)
            throw ApiProblem.BadRequest($"layers '{whole}': layer {layer} does not exist (this run has layers 1 to {layerCount}).");
        return layer;
    }

    private static LayerStat[] ParseStats(string text)
    {
        var stats = new List<LayerStat>();
        foreach (string name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int found = -1;
            for (int i = 0; i < LayerStatNames.Count; i++)
            {
                if (string.Equals(LayerStatNames.Of((LayerStat)i), name, StringComparison.OrdinalIgnoreCase))
                    found = i;
            }

            if (found < 0)
                throw ApiProblem.BadRequest($"stats: '{name}' is not a statistic; use {string.Join(", ", Enumerable.Range(0, LayerStatNames.Count).Select(i => LayerStatNames.Of((LayerStat)i)))}.");
            if (!stats.Contains((LayerStat)found))
                stats.Add((LayerStat)found);
        }

        return stats.Count == 0 ? DefaultStats : [.. stats];
    }
}
