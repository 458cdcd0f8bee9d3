using Gradscope.Diagnostics;

namespace Gradscope.Lab.Exports.TensorBoard;

/// <summary>
/// A trace's fixed-bin histograms as TensorBoard <c>HistogramProto</c>s (fields: min 1, max 2,
/// num 3, sum 4, sum_squares 5, bucket_limit 6 and bucket 7 as packed doubles; bucket i counts the
/// values in (bucket_limit[i-1], bucket_limit[i]], the first from minus infinity). The trace keeps
/// counts, not values, so:
/// <list type="bullet">
/// <item>gradients are shown as log10 |g|: decade bin d becomes the bucket (d, d+1] (the trace's
/// bins are [d, d+1); exact powers of ten are the only values this moves); exact zeros and
/// NaN/infinity have no logarithm and are left out (the non_finite scalars count the latter);</item>
/// <item>activations keep their equal bins over the activation's range; the underflow bin (below
/// the range, NaN included) becomes the bucket up to the range's low end, the overflow bin the
/// bucket up to the largest double;</item>
/// <item>min and max are the edges of the outermost non-empty buckets (the range's ends for under-
/// and overflow), sum and sum_squares are computed from bucket centers: estimates.</item>
/// </list>
/// Empty buckets before the first and after the last non-empty one are left out.
/// </summary>
internal static class TensorBoardHistograms
{
    public static ProtoWriter? Gradient(int[] counts)
    {
        var limits = new List<double>();
        var buckets = new List<double>();
        var centers = new List<double>();
        for (int bin = 0; bin < Histograms.ZeroBin; bin++)
        {
            double decade = Histograms.MinDecade + bin;
            limits.Add(decade + 1);
            buckets.Add(counts[bin]);
            centers.Add(decade + 0.5);
        }

        return Proto(limits, buckets, centers, lowestEdge: Histograms.MinDecade);
    }

    public static ProtoWriter? Activation(int[] counts, double low, double high)
    {
        var limits = new List<double> { low };
        var buckets = new List<double> { counts[0] };
        var centers = new List<double> { low };
        double width = (high - low) / Histograms.ActivationBins;
        for (int bin = 0; bin < Histograms.ActivationBins; bin++)
        {
            limits.Add(low + ((bin + 1) * width));
            buckets.Add(counts[bin + 1]);
            centers.Add(low + ((bin + 0.5) * width));
        }

        limits.Add(double.MaxValue);
        buckets.Add(counts[^1]);
        centers.Add(high);
        return Proto(limits, buckets, centers, lowestEdge: low, highestEdge: high);
    }

    // Null when every bucket is empty (TensorBoard has nothing to draw).
    private static ProtoWriter? Proto(List<double> limits, List<double> buckets, List<double> centers, double lowestEdge, double? highestEdge = null)
    {
        int first = buckets.FindIndex(c => c > 0);
        if (first < 0)
            return null;
        int last = buckets.FindLastIndex(c => c > 0);
        double num = 0, sum = 0, squares = 0;
        for (int i = first; i <= last; i++)
        {
            num += buckets[i];
            sum += buckets[i] * centers[i];
            squares += buckets[i] * centers[i] * centers[i];
        }

        double min = first == 0 ? lowestEdge : limits[first - 1];
        double max = last == limits.Count - 1 && highestEdge is { } high ? high : limits[last];
        var proto = new ProtoWriter();
        proto.Double(1, min);
        proto.Double(2, max);
        proto.Double(3, num);
        proto.Double(4, sum);
        proto.Double(5, squares);
        proto.PackedDoubles(6, limits.GetRange(first, last - first + 1));
        proto.PackedDoubles(7, buckets.GetRange(first, last - first + 1));
        return proto;
    }
}
