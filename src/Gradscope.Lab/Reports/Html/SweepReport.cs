using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Lab.Sweeps;
using Gradscope.Training;

namespace Gradscope.Lab.Reports.Html;

/// <summary>
/// The sweep report: one self-contained HTML page of matrices, depth (hidden dense layers) down and
/// activation across, one per initialization (and per combination of the sweep's other varying
/// settings), showing a chosen measure of <see cref="SweepSummaries"/> per cell: orders of
/// magnitude lost, first-to-last ratio, final loss, train or test accuracy.
/// </summary>
public static class SweepReport
{
    private static readonly (string Key, string Label, bool LowIsGood, bool Percent)[] Metrics =
    [
        ("orders_lost", "orders of magnitude lost (last layer to first)", true, false),
        ("test_accuracy", "test accuracy", false, true),
        ("train_accuracy", "train accuracy", false, true),
        ("final_loss", "final loss", true, false),
        ("first_to_last_ratio", "gradient ratio first/last layer", false, false),
    ];

    /// <summary>Writes the report of sweep <paramref name="name"/> in <paramref name="store"/> as UTF-8 HTML.</summary>
    public static void Write(RunStore store, string name, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Encoding.UTF8.GetBytes(Html(store, name)));
    }

    /// <summary>The report of sweep <paramref name="name"/> as one HTML document.</summary>
    public static string Html(RunStore store, string name)
    {
        ArgumentNullException.ThrowIfNull(store);
        var summary = SweepSummaries.Of(store, name);
        var specs = new Dictionary<string, RunSpec>(StringComparer.Ordinal);
        foreach (var trial in store.Trials(name))
            specs.TryAdd(trial.Cell, RunSpecJson.Read(trial.Spec, $"{store.Path}: sweep {name}"));
        string title = $"Gradscope sweep {name}";
        return Asset().Replace("{{title}}", WebUtility.HtmlEncode(title), StringComparison.Ordinal)
            .Replace("{{version}}", WebUtility.HtmlEncode(RunStore.GradscopeVersion), StringComparison.Ordinal)
            .Replace("{{data}}", Data(summary, specs).Replace("</", "<\\/", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static string Data(SweepSummary summary, Dictionary<string, RunSpec> specs)
    {
        // Panel title -> (depths, activations, cells).
        var panels = new List<(string Title, SortedSet<int> Depths, List<string> Activations, List<(int Depth, string Activation, SweepCellSummary Cell)> Cells)>();
        foreach (var cell in summary.Cells)
        {
            var spec = specs[cell.Cell];
            int depth = spec.Network.Layers.Count(l => l is DenseSpec);
            string activation = spec.Network.Layers.OfType<ActivationSpec>().FirstOrDefault()?.Activation.Name ?? "identity";
            string title = PanelTitle(spec, cell.Cell);
            int at = panels.FindIndex(p => p.Title == title);
            if (at < 0)
            {
                panels.Add((title, [], [], []));
                at = panels.Count - 1;
            }

            panels[at].Depths.Add(depth);
            if (!panels[at].Activations.Contains(activation))
                panels[at].Activations.Add(activation);
            panels[at].Cells.Add((depth, activation, cell));
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("metrics");
            foreach (var (key, label, low, percent) in Metrics)
            {
                w.WriteStartObject();
                w.WriteString("key", key);
                w.WriteString("label", label);
                w.WriteBoolean("lowIsGood", low);
                w.WriteBoolean("percent", percent);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("panels");
            foreach (var panel in panels)
                WritePanel(w, panel.Title, panel.Depths, panel.Activations, panel.Cells);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WritePanel(Utf8JsonWriter w, string title, SortedSet<int> depths, List<string> activations, List<(int Depth, string Activation, SweepCellSummary Cell)> cells)
    {
        w.WriteStartObject();
        w.WriteString("title", title);
        w.WriteStartArray("depths");
        foreach (int depth in depths)
            w.WriteNumberValue(depth);
        w.WriteEndArray();
        w.WriteStartArray("activations");
        foreach (string activation in activations)
            w.WriteStringValue(activation);
        w.WriteEndArray();
        w.WriteStartObject("cells");
        foreach (var (depth, activation, cell) in cells)
        {
            w.WriteStartObject(string.Create(CultureInfo.InvariantCulture, $"{depth}|{activation}"));
            w.WriteNumber("trials", cell.Trials);
            w.WriteNumber("done", cell.Done);
            w.WriteString("findings", string.Join(", ", cell.Findings.Select(f => $"{f.Kind} {f.Trials}")));
            SweepJson.WriteMeasures(w, cell);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    // The init, then the cell's settings other than the matrix's axes.
    private static string PanelTitle(RunSpec spec, string cell)
    {
        var parts = new List<string> { "init " + spec.Init.ToSpec() };
        foreach (string part in cell.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!part.StartsWith("layers=", StringComparison.Ordinal) && !part.StartsWith("activation=", StringComparison.Ordinal) && !part.StartsWith("init=", StringComparison.Ordinal))
                parts.Add(part);
        }

        return string.Join(", ", parts);
    }

    private static string Asset()
    {
        using var stream = typeof(SweepReport).Assembly.GetManifestResourceStream("Gradscope.Lab.Reports.Html.Assets.sweep-report.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
