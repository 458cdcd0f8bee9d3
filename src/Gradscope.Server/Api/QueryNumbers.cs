using System.Globalization;

namespace Gradscope.Server.Api;

/// <summary>Numbers from the query string: a malformed one is a 400 problem naming the parameter; an out-of-range one is clamped where the brief says so.</summary>
internal static class QueryNumbers
{
    /// <summary>Integer <paramref name="name"/>, clamped to [min, max]; <paramref name="fallback"/> when absent.</summary>
    public static int Int(IQueryCollection query, string name, int fallback, int min, int max)
    {
        string text = query[name].ToString();
        if (text.Length == 0)
            return fallback;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            throw ApiProblem.BadRequest($"{name} '{text}' is not a whole number.");
        return (int)Math.Clamp(value, min, max);
    }

    /// <summary>Integer <paramref name="name"/> or null when absent; never clamped.</summary>
    public static long? OptionalLong(IQueryCollection query, string name)
    {
        string text = query[name].ToString();
        if (text.Length == 0)
            return null;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            throw ApiProblem.BadRequest($"{name} '{text}' is not a whole number.");
        return value;
    }

    /// <summary>A finite number <paramref name="name"/> in [min, max], <paramref name="fallback"/> when absent; outside the range is a 400.</summary>
    public static double Real(IQueryCollection query, string name, double fallback, double min, double max)
    {
        string text = query[name].ToString();
        if (text.Length == 0)
            return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw ApiProblem.BadRequest($"{name} '{text}' is not a number.");
        if (value < min || value > max)
            throw ApiProblem.BadRequest($"{name} {text} is out of range: use {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
        return value;
    }
}
