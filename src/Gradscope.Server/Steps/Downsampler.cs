using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradscope.Server.Steps;

/// <summary>
/// Reduces a step range to at most <c>maxPoints</c> rows without hiding a spike: the rows are cut
/// into <c>maxPoints / 2</c> buckets of consecutive steps and each bucket becomes two rows, at its
/// first and its last step, which hold every series' (loss, learning rate, each statistic of each
/// layer) minimum and maximum over the bucket, in the order they occurred. So every series keeps
/// its extremes, and the first and last steps of the range are kept. Rows are read in order, once.
/// </summary>
internal static class Downsampler
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static StepTable Reduce(StepSource source, int maxPoints, out bool downsampled)
    {
        int n = source.Count;
        downsampled = n > maxPoints;
        if (!downsampled)
            return Copy(source);
        int buckets = Math.Max(1, maxPoints / 2);
        var table = new StepTable(source.Stats, source.Width, buckets * 2);
        var extremes = new Extremes(source.Width);
        var row = new double[source.Width];
        for (int b = 0; b < buckets; b++)
        {
            int start = (int)((long)n * b / buckets), end = (int)((long)n * (b + 1) / buckets);
            var (loss1, loss2) = Scalar(source, start, end, source.Loss);
            var (rate1, rate2) = Scalar(source, start, end, source.Rate);
            int first = table.AddRow(source.Step(start), loss1, rate1);
            int second = table.AddRow(source.Step(end - 1), loss2, rate2);
            for (int s = 0; s < source.Stats.Length; s++)
            {
                extremes.Reset();
                for (int r = start; r < end; r++)
                    extremes.Add(source.RowView(s, r, row), r);

                extremes.Write(table.Row(s, first), table.Row(s, second));
            }
        }

        return table;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static StepTable Copy(StepSource source)
    {
        var table = new StepTable(source.Stats, source.Width, source.Count);
        for (int r = 0; r < source.Count; r++)
        {
            int row = table.AddRow(source.Step(r), source.Loss(r), source.Rate(r));
            for (int s = 0; s < source.Stats.Length; s++)
                source.Row(s, r, table.Row(s, row));
        }

        return table;
    }

    private static (double First, double Second) Scalar(StepSource source, int start, int end, Func<int, double> value)
    {
        var extremes = new Extremes(1);
        Span<double> one = stackalloc double[1];
        for (int r = start; r < end; r++)
        {
            one[0] = value(r);
            extremes.Add(one, r);
        }

        Span<double> first = stackalloc double[1], second = stackalloc double[1];
        extremes.Write(first, second);
        return (first[0], second[0]);
    }

    // Per series: the minimum and maximum seen (NaN skipped) and the rows they were at. The scan is
    // vectorized (a 100-layer, 10,000-step request scans two million values): NaN compares false,
    // so it never replaces an extreme, and a strict comparison keeps the earliest row of a tie.
    private sealed class Extremes
    {
        private readonly double[] _min;
        private readonly double[] _max;
        private readonly long[] _minRow;
        private readonly long[] _maxRow;

        public Extremes(int width)
        {
            (_min, _max, _minRow, _maxRow) = (new double[width], new double[width], new long[width], new long[width]);
            Reset();
        }

        public void Reset()
        {
            Array.Fill(_min, double.PositiveInfinity);
            Array.Fill(_max, double.NegativeInfinity);
            Array.Fill(_minRow, -1);
            Array.Fill(_maxRow, -1);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add(ReadOnlySpan<double> values, int row)
        {
            int j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var rows = new Vector<long>(row);
                for (; j <= values.Length - Vector<double>.Count; j += Vector<double>.Count)
                {
                    var v = new Vector<double>(values[j..]);
                    var min = new Vector<double>(_min.AsSpan(j));
                    var max = new Vector<double>(_max.AsSpan(j));
                    var below = Vector.LessThan(v, min);
                    var above = Vector.GreaterThan(v, max);
                    Vector.ConditionalSelect(below, v, min).CopyTo(_min.AsSpan(j));
                    Vector.ConditionalSelect(below, rows, new Vector<long>(_minRow.AsSpan(j))).CopyTo(_minRow.AsSpan(j));
                    Vector.ConditionalSelect(above, v, max).CopyTo(_max.AsSpan(j));
                    Vector.ConditionalSelect(above, rows, new Vector<long>(_maxRow.AsSpan(j))).CopyTo(_maxRow.AsSpan(j));
                }
            }

            for (; j < values.Length; j++)
            {
                double v = values[j];
                if (v < _min[j])
                    (_min[j], _minRow[j]) = (v, row);
                if (v > _max[j])
                    (_max[j], _maxRow[j]) = (v, row);
            }
        }

        // The two extremes in the order they occurred; NaN, NaN when every value was NaN. (A bucket
        // holding only one infinity gives NaN for the other extreme: both are written as null.)
        public void Write(Span<double> first, Span<double> second)
        {
            for (int j = 0; j < first.Length; j++)
            {
                double min = _minRow[j] < 0 ? double.NaN : _min[j], max = _maxRow[j] < 0 ? double.NaN : _max[j];
                bool minFirst = _minRow[j] <= _maxRow[j];
                first[j] = minFirst ? min : max;
                second[j] = minFirst ? max : min;
            }
        }
    }
}
