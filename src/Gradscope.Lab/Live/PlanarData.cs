using Gradscope.Data;
using Gradscope.Data.Catalog;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Live;

/// <summary>
/// The built-in data sets whose points lie in a plane (two features), over which a decision
/// boundary and the squashing view can be drawn.
/// </summary>
public static class PlanarData
{
    /// <summary>The planar sets: spiral, moons, circles, xor, checkerboard.</summary>
    public static IReadOnlyList<string> Names { get; } = ["spiral", "moons", "circles", "xor", "checkerboard"];

    /// <summary>True when <paramref name="spec"/> trains on a planar set (a boundary can be drawn for it).</summary>
    public static bool Supports(RunSpec? spec)
    {
        if (spec is null)
            return false;
        foreach (string name in Names)
        {
            if (string.Equals(name, spec.Data.Source, StringComparison.OrdinalIgnoreCase))
                return true;
        }

        return false;
    }
}

/// <summary>
/// A planar run's training points as generated for it (same seed, same split, not standardized):
/// their bounding box with a 10% margin, a sample of at most <see cref="MaxPoints"/> of them, and
/// the class count.
/// </summary>
internal sealed record PlaneSample(double XMin, double XMax, double YMin, double YMax, int Classes, double[][] Points, int[] Labels)
{
    /// <summary>Training points a boundary carries at most.</summary>
    public const int MaxPoints = 500;

    private const double Margin = 0.1;

    /// <summary>Generates <paramref name="spec"/>'s data again and keeps its training split's sample.</summary>
    public static PlaneSample For(RunSpec spec)
    {
        var data = DatasetCatalog.Load(spec.Data.Source, spec.DataOptions());
        double fraction = spec.Data.TestSplit ?? PreparedRun<double>.DefaultTestSplit;
        var train = fraction > 0 && data.Count >= 2 ? data.Split(fraction, spec.Seed).Train : data;
        return Of(train);
    }

    private static PlaneSample Of(Dataset train)
    {
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity, yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        for (int i = 0; i < train.Count; i++)
        {
            var row = train.Row(i);
            (xMin, xMax) = (Math.Min(xMin, row[0]), Math.Max(xMax, row[0]));
            (yMin, yMax) = (Math.Min(yMin, row[1]), Math.Max(yMax, row[1]));
        }

        double dx = Math.Max(xMax - xMin, 1e-9) * Margin, dy = Math.Max(yMax - yMin, 1e-9) * Margin;

        // Every k-th point: a sample spread over the whole set, the same on every request.
        int stride = (train.Count + MaxPoints - 1) / MaxPoints;
        var points = new List<double[]>();
        var labels = new List<int>();
        for (int i = 0; i < train.Count; i += stride)
        {
            points.Add([train.Row(i)[0], train.Row(i)[1]]);
            labels.Add(train.Labels[i]);
        }

        return new PlaneSample(xMin - dx, xMax + dx, yMin - dy, yMax + dy, train.ClassCount, [.. points], [.. labels]);
    }
}
