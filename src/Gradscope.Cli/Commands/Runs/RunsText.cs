using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;

namespace Gradscope.Cli.Commands.Runs;

/// <summary>Words and values the <c>runs</c> tables share.</summary>
internal static class RunsText
{
    public static string Status(RunStatus status, bool plain)
    {
        string name = RunStore.StatusName(status);
        if (plain)
            return name;
        string colour = status switch
        {
            RunStatus.Completed => "green",
            RunStatus.Failed or RunStatus.Diverged => "red",
            RunStatus.Interrupted => "yellow",
            _ => "blue",
        };
        return $"[{colour}]{name}[/]";
    }

    /// <summary>The run description flattened to <c>key: value</c> pairs (<c>optimizer.learning_rate: 0.1</c>), in the description's order.</summary>
    public static List<(string Key, string Value)> Flatten(RunSpec? spec)
    {
        var pairs = new List<(string, string)>();
        if (spec is null)
            return pairs;
        using var document = JsonDocument.Parse(RunSpecJson.Write(spec));
        Flatten(document.RootElement, string.Empty, pairs);
        return pairs;
    }

    private static void Flatten(JsonElement e, string path, List<(string, string)> pairs)
    {
        if (e.ValueKind == JsonValueKind.Object && path != "network")
        {
            foreach (var p in e.EnumerateObject())
                Flatten(p.Value, path.Length == 0 ? p.Name : path + "." + p.Name, pairs);
        }
        else
        {
            // The network stays one value, in short words: its layer list reads best whole.
            string value = path == "network" ? NetworkText.Describe(e) : e.ValueKind == JsonValueKind.String ? e.GetString()! : JsonSerializer.Serialize(e);
            pairs.Add((path, value));
        }
    }

    /// <summary>Statistic <paramref name="stat"/> of every layer at the first and the last recorded step.</summary>
    public static (double[] Start, double[] End) StartAndEnd(Trace trace, LayerStat stat)
    {
        var start = new double[trace.LayerCount];
        var end = new double[trace.LayerCount];
        if (trace.StepCount > 0)
        {
            trace.AtStep(stat, 0).CopyTo(start);
            trace.AtStep(stat, trace.StepCount - 1).CopyTo(end);
        }
        else
        {
            Array.Fill(start, double.NaN);
            Array.Fill(end, double.NaN);
        }

        return (start, end);
    }
}
