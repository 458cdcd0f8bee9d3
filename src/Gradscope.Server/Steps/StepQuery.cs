using System.Data.Common;
using Gradscope.Diagnostics;

namespace Gradscope.Server.Steps;

/// <summary>
/// The rows of a step request, from the <see cref="StepCache"/>: the selected statistics' series,
/// cut to the step range (binary search: steps are recorded in order).
/// </summary>
internal static class StepQuery
{
    public static StepSource Read(StepCache cache, DbConnection connection, string runId, int layerCount, StepSelection selection)
    {
        var views = new SeriesView[selection.Stats.Length];
        int count = int.MaxValue;
        for (int s = 0; s < views.Length; s++)
        {
            views[s] = cache.Get(connection, runId, layerCount, selection.Stats[s]);
            // A live run may have grown between two series' reads: use the rows all of them have.
            count = Math.Min(count, views[s].Count);
        }

        var steps = views[0].Steps;
        int start = LowerBound(steps, count, selection.From);
        int end = selection.To == long.MaxValue ? count : LowerBound(steps, count, selection.To + 1);
        return new StepSource(views, start, Math.Max(start, end), selection.Layers, selection.Stats);
    }

    /// <summary>Statistic names for a table's header.</summary>
    public static string Name(LayerStat stat) => LayerStatNames.Of(stat);

    // The first row whose step is >= target.
    private static int LowerBound(long[] steps, int count, long target)
    {
        int low = 0, high = count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (steps[middle] < target)
                low = middle + 1;
            else
                high = middle;
        }

        return low;
    }
}
