using Gradscope.Diagnostics;

namespace Gradscope.Lab.Reports.Html;

/// <summary>
/// How a report downsamples a long run, so that a 100-layer, 10,000-step run stays a few
/// megabytes: at most <see cref="MaxColumns"/> columns; a run of more recorded steps is cut into
/// windows of <c>ceil(steps / MaxColumns)</c> consecutive recorded steps (the last may be
/// shorter), and each window keeps, per layer and statistic, its minimum and its maximum, so no
/// extreme is averaged away. The minimum is the smallest finite value; the maximum is the largest
/// value, where a NaN or infinity counts as larger than any number, so a window in which the run
/// broke shows it. A run of at most <see cref="MaxColumns"/> steps keeps every step (minimum =
/// maximum).
/// </summary>
internal sealed class StepWindows
{
    /// <summary>The most columns (windows) one run keeps.</summary>
    public const int MaxColumns = 600;

    /// <summary>The rule in one sentence, as the report prints it.</summary>
    public const string Rule =
        "A run of more than 600 recorded steps is shown in 600 or fewer windows of equal numbers of consecutive steps; " +
        "each window keeps every layer's minimum and maximum (a NaN or infinity counts as the maximum), so no extreme is averaged away.";

    public StepWindows(int recorded, int maxColumns = MaxColumns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(recorded);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxColumns, 1);
        Recorded = recorded;
        Size = recorded <= maxColumns ? 1 : (recorded + maxColumns - 1) / maxColumns;
        Count = (recorded + Size - 1) / Size;
    }

    /// <summary>Recorded steps in the run.</summary>
    public int Recorded { get; }

    /// <summary>Recorded steps per window (1: no downsampling).</summary>
    public int Size { get; }

    /// <summary>Number of windows.</summary>
    public int Count { get; }

    /// <summary>First recorded index of window <paramref name="column"/>.</summary>
    public int Start(int column) => column * Size;

    /// <summary>One past the last recorded index of window <paramref name="column"/>.</summary>
    public int End(int column) => Math.Min(Recorded, (column + 1) * Size);

    /// <summary>The window's minimum and maximum of one layer's statistic.</summary>
    public (double Min, double Max) Extremes(Trace trace, LayerStat stat, int layer, int column)
    {
        var extremes = new Extent();
        for (int s = Start(column); s < End(column); s++)
            extremes.Add(trace[stat, s, layer]);
        return extremes.Result;
    }

    /// <summary>The window's minimum and maximum of the batch loss.</summary>
    public (double Min, double Max) LossExtremes(Trace trace, int column)
    {
        var extremes = new Extent();
        for (int s = Start(column); s < End(column); s++)
            extremes.Add(trace.Loss(s));
        return extremes.Result;
    }

    /// <summary>The minimum and maximum of <paramref name="values"/> by the rule above (NaN, NaN when empty).</summary>
    internal static (double Min, double Max) Of(ReadOnlySpan<double> values)
    {
        var extent = new Extent();
        foreach (double v in values)
            extent.Add(v);
        return extent.Result;
    }

    private struct Extent()
    {
        private double _min = double.NaN;
        private double _max = double.NaN;
        private bool _broken;

        public readonly (double Min, double Max) Result => (_min, _max);

        public void Add(double value)
        {
            if (!double.IsFinite(value))
            {
                // The first NaN or infinity of the window is its maximum: a break outranks any number.
                if (!_broken)
                    _max = value;
                _broken = true;
                return;
            }

            if (double.IsNaN(_min) || value < _min)
                _min = value;
            if (!_broken && (double.IsNaN(_max) || value > _max))
                _max = value;
        }
    }
}
