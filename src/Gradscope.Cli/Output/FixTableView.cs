using System.Globalization;
using Gradscope.Lab.Fixes;
using Gradscope.Serialization;
using Spectre.Console;

namespace Gradscope.Cli.Output;

/// <summary>
/// The before/after table of <c>--try-fixes</c>: the network as given first, then the remedies from
/// the best outcome to the worst (train accuracy, then final loss), and the best one named.
/// </summary>
internal static class FixTableView
{
    public static void Write(Terminal terminal, IReadOnlyList<FixOutcome> outcomes)
    {
        var given = outcomes.Count > 0 && outcomes[0].Remedy is null ? outcomes[0] : null;
        var fixes = Ranked(outcomes);
        terminal.Text("Remedies tried (same data, seed and budget), best first; accuracy is on the training data:");
        bool continued = given?.Weights is not null || fixes.Exists(f => f.Weights is not null);
        string[] columns = ["configuration", "layer 1 / last gradient", "orders lost", "loss", "train accuracy", "findings left"];
        var table = Terminal.NewTable(terminal.Plain, continued ? [.. columns, "weights kept"] : columns);
        if (given is not null)
            AddRow(table, given, continued);
        foreach (var fix in fixes)
            AddRow(table, fix, continued);
        terminal.Write(table);
        if (fixes.Count > 0)
            terminal.Text(BestFix(fixes[0], given));
    }

    /// <summary>The remedies' outcomes, best first: higher accuracy, then lower loss; a run that diverged (NaN) last.</summary>
    public static List<FixOutcome> Ranked(IReadOnlyList<FixOutcome> outcomes)
    {
        var fixes = new List<FixOutcome>();
        foreach (var o in outcomes)
        {
            if (o.Remedy is not null)
                fixes.Add(o);
        }

        // A stable sort keeps the remedies' own order between equal outcomes.
        var ranked = new List<FixOutcome>(fixes.Count);
        foreach (var fix in fixes)
        {
            int at = ranked.FindIndex(r => Better(fix, r));
            ranked.Insert(at < 0 ? ranked.Count : at, fix);
        }

        return ranked;
    }

    /// <summary>"orders lost" in words: a negative number is orders gained.</summary>
    public static string OrdersLost(double orders) =>
        double.IsNaN(orders) ? "-"
        : orders < 0 ? $"{(-orders).ToString("F1", CultureInfo.InvariantCulture)} gained"
        : orders.ToString("F1", CultureInfo.InvariantCulture);

    private static bool Better(FixOutcome a, FixOutcome b)
    {
        double accuracyA = Finite(a.Accuracy), accuracyB = Finite(b.Accuracy);
        if (accuracyA != accuracyB)
            return accuracyA > accuracyB;
        return Finite(-a.Loss) > Finite(-b.Loss);
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : double.NegativeInfinity;

    private static string BestFix(FixOutcome best, FixOutcome? given)
    {
        string text = $"best fix: {best.Label} ({Format.Percent(best.Accuracy)} train accuracy, loss {Format.Fixed(best.Loss)}";
        return given is null ? text + ")." : text + $"; as given: {Format.Percent(given.Accuracy)}, loss {Format.Fixed(given.Loss)}).";
    }

    private static void AddRow(Table table, FixOutcome o, bool continued)
    {
        var kinds = new List<string>();
        foreach (var f in o.FindingsLeft)
            kinds.Add(f.Kind.ToString());
        string[] cells = [Markup.Escape(o.Label), Format.Sci(o.FirstToLastRatio), OrdersLost(o.OrdersLost), Format.Fixed(o.Loss), Format.Percent(o.Accuracy),
            kinds.Count == 0 ? "none" : Markup.Escape(string.Join(", ", kinds))];
        table.AddRow(continued ? [.. cells, KeptText(o.Weights)] : cells);
    }

    /// <summary>"18 of 18 tensors", or "none" for a run that started from its initialization.</summary>
    public static string KeptText(WeightTransfer? weights) =>
        weights is null ? "none" : $"{weights.Kept.Count} of {weights.Total} tensors";
}
