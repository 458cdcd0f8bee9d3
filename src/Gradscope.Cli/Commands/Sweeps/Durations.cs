using System.Globalization;

namespace Gradscope.Cli.Commands.Sweeps;

/// <summary>Durations as the worker's options write them: a number and a unit, <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>.</summary>
internal static class Durations
{
    private static readonly (string Unit, double Seconds)[] Units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];

    /// <summary>Parses <paramref name="text"/>; bad usage naming <paramref name="option"/> when it is no duration or below <paramref name="minimum"/>.</summary>
    public static TimeSpan Parse(string text, string option, TimeSpan minimum)
    {
        string trimmed = text.Trim();
        foreach (var (unit, seconds) in Units)
        {
            // "ms" is tried before "s" and "m", so "500ms" is not read as 500m + "s".
            if (!trimmed.EndsWith(unit, StringComparison.Ordinal))
                continue;
            string number = trimmed[..^unit.Length];
            if (number.Length == 0 || !char.IsAsciiDigit(number[0])
                || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                break;
            double total = value * seconds;
            if (total > TimeSpan.FromDays(365).TotalSeconds)
                throw new UsageException($"{option} '{text}' is longer than a year.");
            var duration = TimeSpan.FromSeconds(total);
            if (duration < minimum)
                throw new UsageException($"{option} '{text}' is too short: at least {Format(minimum)}.");
            return duration;
        }

        throw new UsageException($"{option} '{text}' is not a duration: write a number and a unit, e.g. 500ms, 30s, 5m or 1h.");
    }

    /// <summary>A duration as the options write it (<c>1m30s</c> is written 90s).</summary>
    public static string Format(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)}ms"
        : span.TotalSeconds % 3600 == 0 ? $"{(span.TotalSeconds / 3600).ToString("0", CultureInfo.InvariantCulture)}h"
        : span.TotalSeconds % 60 == 0 ? $"{(span.TotalSeconds / 60).ToString("0", CultureInfo.InvariantCulture)}m"
        : $"{span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";
}
