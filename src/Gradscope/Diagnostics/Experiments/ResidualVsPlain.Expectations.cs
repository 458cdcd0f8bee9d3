using Gradscope.Recurrent.Experiments;

namespace Gradscope.Diagnostics.Experiments;

public static partial class ResidualVsPlain
{
    /// <summary>The loss of always answering 1/3 for each of the spiral's 3 classes: ln 3.</summary>
    public static readonly double ChanceLoss = Math.Log(3);

    /// <summary>A plain network whose final loss is within this of ln 3 has stalled.</summary>
    public const double StallMargin = 0.05;

    /// <summary>A final loss below this (under half of ln 3) counts as trained.</summary>
    public const double TrainedLoss = 0.5;

    /// <summary>Depths from which the plain sigmoid network is expected to stall (at 10 it still learns a little).</summary>
    public const int DeepFrom = 20;

    /// <summary>
    /// The outcomes the literature predicts, checked on <paramref name="rows"/>: at every depth of at
    /// least 20 the plain network stalls (final loss within 0.05 of ln 3) while every other variant
    /// trains (final loss below 0.5); at the deepest depth the plain network's first-layer gradient
    /// is more than 3 orders of magnitude below its last layer's at the start. Rows missing for a
    /// check make it unmet.
    /// </summary>
    public static IReadOnlyList<Expectation> Expectations(IReadOnlyList<ResidualVsPlainRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = new List<Expectation>();
        int deepest = 0;
        foreach (var row in rows)
            deepest = Math.Max(deepest, row.Depth);
        foreach (var row in rows)
        {
            if (row.Depth < DeepFrom)
                continue;
            if (row.Variant == "plain")
                result.Add(new($"plain stalls at depth {row.Depth} (loss within {StallMargin} of ln 3)", row.Loss >= ChanceLoss - StallMargin));
            else
                result.Add(new($"{row.Variant} trains at depth {row.Depth} (loss < {TrainedLoss})", row.Loss < TrainedLoss));
        }

        if (deepest >= DeepFrom)
        {
            var plain = Find(rows, deepest, "plain");
            result.Add(new($"plain's gradient vanishes at depth {deepest} (first/last layer delta_rms < 1e-3 at the start)",
                plain is not null && plain.FirstToLastRatio < 1e-3));
        }

        return result;
    }

    private static ResidualVsPlainRow? Find(IReadOnlyList<ResidualVsPlainRow> rows, int depth, string variant)
    {
        foreach (var row in rows)
        {
            if (row.Depth == depth && row.Variant == variant)
                return row;
        }

        return null;
    }
}
