using System.Globalization;

namespace Gradscope.Lab.Reports.Experiments;

/// <summary>Axis ticks: round steps (1, 2 or 5 times a power of ten) on linear axes, whole decades on log ones.</summary>
internal static class Ticks
{
    /// <summary>About 5 round ticks covering [min, max]; the axis' range widened to the outer ticks (a single value gets a range around it).</summary>
    public static IReadOnlyList<double> Nice(double min, double max, out double from, out double to)
    {
        if (max - min < 1e-12 * Math.Max(1, Math.Abs(max)))
        {
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.5;
            (min, max) = (min - pad, max + pad);
        }

        double raw = (max - min) / 5;
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = power * (raw / power < 1.5 ? 1 : raw / power < 3.5 ? 2 : raw / power < 7.5 ? 5 : 10);
        from = Math.Floor(min / step) * step;
        to = Math.Ceiling(max / step) * step;
        int count = (int)Math.Round((to - from) / step);
        var ticks = new List<double>(count + 1);
        for (int i = 0; i <= count; i++)
            ticks.Add(Math.Round((from / step) + i) * step);
        return ticks;
    }

    /// <summary>Whole decades (log10 units) covering [min, max], at least two; thinned to at most 11 labels.</summary>
    public static IReadOnlyList<double> Decades(double min, double max, out double from, out double to)
    {
        from = Math.Floor(min);
        to = Math.Max(Math.Ceiling(max), from + 1);
        int every = Math.Max(1, (int)Math.Ceiling((to - from) / 10));
        var ticks = new List<double>();
        for (double t = from; t <= to; t += every)
            ticks.Add(t);
        return ticks;
    }

    /// <summary>A tick's label: short and without float noise ("0.3", "1000", "2.5e-05").</summary>
    public static string Label(double value)
    {
        double a = Math.Abs(value);
        if (a != 0 && (a < 1e-3 || a >= 1e6))
            return value.ToString("0.##e+00", CultureInfo.InvariantCulture);
        return Math.Round(value, 6).ToString("0.######", CultureInfo.InvariantCulture);
    }
}
