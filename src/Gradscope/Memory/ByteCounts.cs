namespace Gradscope.Memory;

/// <summary>
/// Sums and products of sizes that stop at <see cref="long.MaxValue"/> instead of wrapping, so an
/// absurd shape reads as "too large" rather than as a small or negative number of bytes.
/// </summary>
internal static class ByteCounts
{
    public static long Sum(params ReadOnlySpan<long> values)
    {
        long total = 0;
        foreach (long v in values)
            total = total > long.MaxValue - v ? long.MaxValue : total + v;
        return total;
    }

    public static long Product(params ReadOnlySpan<long> values)
    {
        long total = 1;
        foreach (long v in values)
            total = v != 0 && total > long.MaxValue / v ? long.MaxValue : total * v;
        return total;
    }

    /// <summary>Bytes of a data set of <paramref name="rows"/> rows of <paramref name="features"/> features as the engine holds it (double features, int labels).</summary>
    public static long DataSet(long rows, long features) => Sum(Product(rows, features, sizeof(double)), Product(rows, sizeof(int)));
}
