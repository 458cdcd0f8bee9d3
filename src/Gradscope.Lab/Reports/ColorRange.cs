using Gradscope.Diagnostics;

namespace Gradscope.Lab.Reports;

/// <summary>
/// One colour scale, in log10 units, shared by every run a report or a set of PNG heatmaps shows,
/// so a vanishing run and a healthy one are told apart by colour alone. Exact zeros and non-finite
/// values have colours of their own and do not stretch the scale.
/// </summary>
/// <param name="Min">log10 of the smallest positive finite value, rounded down to a tenth.</param>
/// <param name="Max">log10 of the largest finite value, rounded up to a tenth (at least <paramref name="Min"/> + 0.1).</param>
public readonly record struct ColorRange(double Min, double Max)
{
    /// <summary>The range used when no run holds a positive finite value.</summary>
    public static ColorRange Empty { get; } = new(-1, 0);

    /// <summary>The range of log10 <paramref name="stat"/> over every layer and step of every trace.</summary>
    public static ColorRange Shared(IEnumerable<Trace> traces, LayerStat stat)
    {
        ArgumentNullException.ThrowIfNull(traces);
        var range = new Accumulator();
        foreach (var trace in traces)
        {
            for (int s = 0; s < trace.StepCount; s++)
            {
                foreach (double v in trace.AtStep(stat, s))
                    range.Add(v);
            }
        }

        return range.Result();
    }

    /// <summary>Collects positive finite values and rounds their log10 extremes outward to a tenth.</summary>
    internal struct Accumulator
    {
        private double _min;
        private double _max;
        private bool _any;

        public void Add(double value)
        {
            if (!(value > 0) || !double.IsFinite(value))
                return;
            _min = _any ? Math.Min(_min, value) : value;
            _max = _any ? Math.Max(_max, value) : value;
            _any = true;
        }

        public readonly ColorRange Result()
        {
            if (!_any)
                return Empty;
            double low = Math.Floor(Math.Log10(_min) * 10) / 10;
            double high = Math.Ceiling(Math.Log10(_max) * 10) / 10;
            return new ColorRange(low, Math.Max(high, low + 0.1));
        }
    }
}
