using System.Data.Common;
using System.Globalization;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Store;

/// <summary>Turns a row of <c>runs</c> (the store's summary columns, in order) into a <see cref="RunSummary"/>.</summary>
internal static class StoredRuns
{
    public static RunSummary Summary(DbDataReader r, string storePath)
    {
        string id = r.GetString(0);
        var layers = LayersJson.Read(r.GetString(15));
        string activation = r.IsDBNull(16) ? "identity" : r.GetString(16);
        var names = new string[layers.Count];
        var inputs = new int[layers.Count];
        var widths = new int[layers.Count];
        for (int l = 0; l < layers.Count; l++)
            (names[l], inputs[l], widths[l]) = (layers[l].Layer.Name, layers[l].Inputs, layers[l].Units);
        var trace = new Trace(names, inputs, widths, activation, 1) { FirstNonFinite = NonFinite(Text(r, 21)) };
        var record = new RunRecord
        {
            Id = id,
            Name = Text(r, 1),
            Kind = r.GetString(2),
            ParentId = Text(r, 3),
            Spec = Text(r, 4) is { } spec ? RunSpecJson.Read(spec, $"{storePath}: run {id}: spec") : null,
            Data = Text(r, 5) is { } data ? new DataIdentity(data, Text(r, 6), r.IsDBNull(7) ? null : r.GetInt64(7), Text(r, 8)) : null,
            Version = Text(r, 9),
            Host = Text(r, 10),
            Started = RunStore.ParseTimestamp(r.GetString(11)),
            Ended = Text(r, 12) is { } ended ? RunStore.ParseTimestamp(ended) : null,
            Status = Enum.Parse<RunStatus>(r.GetString(13), ignoreCase: true),
            Error = Text(r, 14),
            Layers = layers,
            Trace = trace,
            Final = new RunMetrics(RunStore.Real(r, 17), RunStore.Real(r, 18), RunStore.Real(r, 19)),
            Findings = FindingsJson.Read(Text(r, 20)),
            Tags = Text(r, 23) is { } tags ? tags.Split('\n') : [],
        };
        return new RunSummary(record, RunStore.Int(r, 22));
    }

    private static string? Text(DbDataReader r, int column) => r.IsDBNull(column) ? null : r.GetString(column);

    // "step layer where", as the store writes it.
    private static NonFiniteEvent? NonFinite(string? text)
    {
        if (text is null)
            return null;
        var parts = text.Split(' ', 3);
        return new NonFiniteEvent(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]);
    }
}
