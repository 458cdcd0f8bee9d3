namespace Gradscope.Server.Steps;

/// <summary>
/// Reduces a step table to at most <c>maxPoints</c> rows without hiding a spike: the rows are cut
/// into <c>maxPoints / 2</c> buckets of consecutive steps and each bucket becomes two rows, at its
/// first and its last step, which hold every series' (loss, learning rate, each statistic of each
/// layer) minimum and maximum over the bucket, in the order they occurred. So every series keeps
/// its extremes, and the first and last steps of the range are kept.
/// </summary>
internal static class Downsampler
{
    public static StepTable Reduce(StepTable table, int maxPoints)
    {
        int n = table.Count;
        if (n <= maxPoints)
            return table;
        int buckets = Math.Max(1, maxPoints / 2);
        var result = new StepTable(table.Stats, table.Width, buckets * 2);
        for (int b = 0; b < buckets; b++)
        {
            int start = (int)((long)n * b / buckets), end = (int)((long)n * (b + 1) / buckets);
            if (end - start == 1)
                CopyRow(table, result, start);
            else
                AddBucket(table, result, start, end);
        }

        return result;
    }

    private static void CopyRow(StepTable from, StepTable to, int row)
    {
        to.AddRow(from.StepNumbers[row], from.Loss[row], from.LearningRate[row]);
        for (int s = 0; s < from.Stats.Length; s++)
        {
            for (int j = 0; j < from.Width; j++)
                to.Values[s].Add(from.Values[s][(row * from.Width) + j]);
        }
    }

    private static void AddBucket(StepTable from, StepTable to, int start, int end)
    {
        var (lossFirst, lossSecond) = Extremes(from.Loss, start, end, 1, 0);
        var (rateFirst, rateSecond) = Extremes(from.LearningRate, start, end, 1, 0);
        to.AddRow(from.StepNumbers[start], lossFirst, rateFirst);
        to.AddRow(from.StepNumbers[end - 1], lossSecond, rateSecond);
        for (int s = 0; s < from.Stats.Length; s++)
        {
            var values = from.Values[s];
            var target = to.Values[s];
            int at = target.Count;
            // Two rows of Width values each: fill the first row's slots, then the second's.
            for (int k = 0; k < 2 * from.Width; k++)
                target.Add(double.NaN);
            for (int j = 0; j < from.Width; j++)
            {
                var (first, second) = Extremes(values, start, end, from.Width, j);
                target[at + j] = first;
                target[at + from.Width + j] = second;
            }
        }
    }

    // The minimum and maximum of series[row * stride + offset] over rows [start, end), NaN skipped,
    // ordered by the row they occur at; (NaN, NaN) when every value is NaN.
    private static (double First, double Second) Extremes(List<double> series, int start, int end, int stride, int offset)
    {
        int minRow = -1, maxRow = -1;
        double min = double.NaN, max = double.NaN;
        for (int row = start; row < end; row++)
        {
            double v = series[(row * stride) + offset];
            if (double.IsNaN(v))
                continue;
            if (minRow < 0 || v < min)
                (min, minRow) = (v, row);
            if (maxRow < 0 || v > max)
                (max, maxRow) = (v, row);
        }

        return minRow <= maxRow ? (min, max) : (max, min);
    }
}
